import { describe, expect, it } from 'vitest'
import { metricLabel } from './metricLabel'

describe('metricLabel', () => {
  it('splits camelCase and snake_case and spells known metrics properly', () => {
    expect(metricLabel('testIou')).toBe('test IoU')
    expect(metricLabel('valDice')).toBe('val Dice')
    expect(metricLabel('f1Macro')).toBe('F1 macro')
    expect(metricLabel('testF1Weighted')).toBe('test F1 weighted')
    expect(metricLabel('val_loss')).toBe('val loss')
    expect(metricLabel('iou')).toBe('IoU')
  })
})
