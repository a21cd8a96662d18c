import { describe, expect, it } from 'vitest'
import { dice, foregroundConfusion, iou, scoreSplit, splitMetrics } from './segmentationScores'

describe('foreground IoU and Dice', () => {
  // pred 1 1 0 0 2 ; truth 1 0 1 0 1 → tp 2 (pixels 0, 4: class 2 counts as foreground), fp 1, fn 1, tn 1
  const pred = [1, 1, 0, 0, 2]
  const truth = [1, 0, 1, 0, 1]
  it('counts the confusion of foreground against background', () => {
    expect(foregroundConfusion(pred, truth)).toEqual({ tp: 2, fp: 1, fn: 1, tn: 1 })
  })
  it('matches hand-computed values', () => {
    expect(iou(pred, truth)).toBeCloseTo(2 / 4, 12)
    expect(dice(pred, truth)).toBeCloseTo(4 / 6, 12)
  })
  it('scores all-background and all-foreground predictions as the baselines they are', () => {
    const t = [0, 0, 0, 1, 1, 0, 0, 0]
    expect(iou(new Array(8).fill(0), t)).toBe(0)
    expect(iou(new Array(8).fill(1), t)).toBeCloseTo(2 / 8, 12)
    expect(dice(new Array(8).fill(1), t)).toBeCloseTo(4 / 10, 12)
  })
  it('gives 1 when neither mask has foreground', () => {
    expect(iou([0, 0], [0, 0])).toBe(1)
    expect(dice([0, 0], [0, 0])).toBe(1)
  })
  it('averages per image, not per pixel', () => {
    const s = scoreSplit([[1, 1, 1, 1], [1]], [[1, 1, 1, 1], [0]])
    expect(s.perImage.map((p) => p.iou)).toEqual([1, 0])
    expect(s.meanIou).toBe(0.5)
    expect(s.meanDice).toBe(0.5)
  })
  it('rejects masks of different sizes', () => {
    expect(() => iou([1, 0], [1])).toThrow(/2 pixels.*1/)
  })
})

describe('IoU of a whole split, three ways', () => {
  // image 1: tp 1 fp 1 fn 0 tn 2 · image 2: empty vs empty, tn 4 · image 3: tp 2 fp 2 fn 1 tn 1
  const preds = [
    [1, 1, 0, 0],
    [0, 0, 0, 0],
    [1, 0, 1, 1, 1, 0],
  ]
  const truths = [
    [1, 0, 0, 0],
    [0, 0, 0, 0],
    [1, 1, 1, 0, 0, 0],
  ]
  const s = scoreSplit(preds, truths)
  it('dataset-level, as DEDL reports it: TP, FP, FN summed over the split (micro)', () => {
    expect(s.total).toEqual({ tp: 3, fp: 3, fn: 1, tn: 7 })
    expect(s.datasetIou).toBeCloseTo(3 / 7, 12)
    expect(s.datasetDice).toBeCloseTo(6 / 10, 12)
  })
  it('per image, each image once, empty-vs-empty scoring 1', () => {
    expect(s.meanIou).toBeCloseTo((1 / 2 + 1 + 2 / 5) / 3, 12)
    expect(s.meanDice).toBeCloseTo((2 / 3 + 1 + 4 / 7) / 3, 12)
  })
  it('two-class mIoU, as the PiCIE fork reports it: background and foreground IoU of one histogram', () => {
    expect(s.twoClassMeanIou).toBeCloseTo((7 / 11 + 3 / 7) / 2, 12)
    // No foreground anywhere: the foreground IoU is NaN and skipped (nanmean), background is perfect.
    expect(scoreSplit([[0, 0]], [[0, 0]]).twoClassMeanIou).toBe(1)
  })
  it('stores the dataset-level scores as the headline and the other two beside them', () => {
    expect(splitMetrics('test', s)).toEqual({
      testIou: s.datasetIou,
      testDice: s.datasetDice,
      testIouPerImage: s.meanIou,
      testDicePerImage: s.meanDice,
      testMeanIouTwoClass: s.twoClassMeanIou,
    })
  })
})
