import { describe, expect, it } from 'vitest'
import { metricLabel } from './metricLabel'

describe('metricLabel', () => {
  it('splits camelCase and snake_case and spells known metrics properly', () => {
    expect(metricLabel('testIou')).toBe('test IoU (dataset-level)')
    expect(metricLabel('valDice')).toBe('val Dice (dataset-level)')
    expect(metricLabel('testIouPerImage')).toBe('test IoU (per-image mean)')
    expect(metricLabel('testMeanIouTwoClass')).toBe('test mIoU (background and foreground)')
    expect(metricLabel('swinTestIou')).toBe('Swin-UNet test IoU (dataset-level)')
    expect(metricLabel('f1Macro')).toBe('F1 macro')
    expect(metricLabel('testF1Weighted')).toBe('test F1 weighted')
    expect(metricLabel('val_loss')).toBe('val loss')
    expect(metricLabel('iou')).toBe('IoU')
  })
})
