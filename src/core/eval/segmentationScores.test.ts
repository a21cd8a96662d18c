import { describe, expect, it } from 'vitest'
import { dice, foregroundConfusion, iou, scoreSplit } from './segmentationScores'

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
