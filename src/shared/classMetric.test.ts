import { describe, expect, it } from 'vitest'
import { classMetricName, classScores, parseClassMetric } from './classMetric'

describe('per-class metric names', () => {
  it('round-trip a class name, spaces and colons included', () => {
    expect(parseClassMetric(classMetricName('testIou', 'necrotic area'))).toEqual({
      metric: 'testIou',
      className: 'necrotic area',
    })
    expect(parseClassMetric('testIou:a:b')).toEqual({ metric: 'testIou', className: 'a:b' })
    expect(parseClassMetric('testIou')).toBeNull()
  })
  it("gathers one subset's IoU and Dice per class", () => {
    const m = {
      testIou: 0.5,
      'testIou:tumour': 0.4,
      'testDice:tumour': 0.6,
      'valIou:tumour': 0.1,
      'testDice:stroma': 0.7,
    }
    expect(classScores(m, 'test')).toEqual([
      { className: 'tumour', iou: 0.4, dice: 0.6 },
      { className: 'stroma', dice: 0.7 },
    ])
  })
})
