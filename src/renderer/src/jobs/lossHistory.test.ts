import { describe, expect, it } from 'vitest'
import {
  appendLossPoint,
  lossHistoryFromMetrics,
  lossTerms,
  MAX_LOSS_POINTS,
  type LossPoint,
} from './lossHistory'

describe('appendLossPoint', () => {
  it('places samples at fractional epochs and keeps lr', () => {
    let h: LossPoint[] = []
    h = appendLossPoint(h, {
      fraction: 0.1,
      message: '',
      epoch: 1,
      step: 5,
      steps: 20,
      losses: { ce: 0.9 },
      lr: 0.01,
    })
    h = appendLossPoint(h, {
      fraction: 0.6,
      message: '',
      epoch: 2,
      step: 10,
      steps: 20,
      losses: { ce: 0.5, dice: 0.4 },
    })
    expect(h.map((p) => p.x)).toEqual([0.25, 1.5])
    expect(h.map((p) => p.axis)).toEqual(['epoch', 'epoch'])
    expect(h[0].lr).toBe(0.01)
    expect(h[1].lr).toBeNull()
    expect(lossTerms(h)).toEqual(['ce', 'dice'])
  })

  it("places a later stage's samples after the epochs planned before it (DINO's fine-tuning)", () => {
    const phase = (index: number, epochsBefore: number) => ({ name: 's', index, count: 2, epochsBefore })
    let h: LossPoint[] = []
    h = appendLossPoint(h, {
      fraction: 0.25,
      message: '',
      epoch: 4,
      step: 1,
      steps: 1,
      losses: { dinoLoss: 5 },
      phase: phase(0, 0),
    })
    h = appendLossPoint(h, {
      fraction: 0.55,
      message: '',
      epoch: 1,
      step: 1,
      steps: 2,
      losses: { fineTune: 1 },
      phase: phase(1, 4),
    })
    expect(h.map((p) => p.x)).toEqual([4, 4.5])
  })

  it('ignores events without losses, repeats and non-finite terms', () => {
    const start: LossPoint[] = []
    expect(appendLossPoint(start, { fraction: 0, message: 'queued' })).toBe(start)
    const p = { fraction: 0.2, message: '', epoch: 1, step: 2, steps: 4, losses: { ce: 1, bad: Number.NaN } }
    const once = appendLossPoint(start, p)
    expect(once[0].losses).toEqual({ ce: 1 })
    expect(appendLossPoint(once, p)).toBe(once)
  })

  it('falls back to the sample index without epochs, and thins long histories', () => {
    let h: LossPoint[] = []
    for (let i = 0; i < MAX_LOSS_POINTS + 1; i++)
      h = appendLossPoint(h, { fraction: null, message: '', losses: { l: i } })
    expect(h.length).toBeLessThanOrEqual(MAX_LOSS_POINTS / 2 + 2)
    expect(h[0].losses.l).toBe(0)
    expect(h[0].axis).toBe('sample')
    expect(h[h.length - 1].losses.l).toBe(MAX_LOSS_POINTS)
    // x stays increasing after thinning.
    for (let i = 1; i < h.length; i++) expect(h[i].x).toBeGreaterThan(h[i - 1].x)
  })
})

describe('lossHistoryFromMetrics', () => {
  const rows = [
    { epoch: 2, subset: 'train', name: 'ce', value: 0.5 },
    { epoch: 1, subset: 'train', name: 'ce', value: 0.9 },
    { epoch: 1, subset: 'train', name: 'lr', value: 0.01 },
    { epoch: 2, subset: 'train', name: 'lr', value: 0.005 },
    { epoch: null, subset: 'final', name: 'testIou', value: 0.4 },
    { epoch: 3, subset: 'train', name: 'ce', value: 0.3 },
  ]

  it('groups train rows per epoch, lr apart, skipping other subsets', () => {
    expect(lossHistoryFromMetrics(rows)).toEqual([
      { x: 1, axis: 'epoch', losses: { ce: 0.9 }, lr: 0.01 },
      { x: 2, axis: 'epoch', losses: { ce: 0.5 }, lr: 0.005 },
      { x: 3, axis: 'epoch', losses: { ce: 0.3 }, lr: null },
    ])
  })

  it('lets live samples take over from their first position', () => {
    const live: LossPoint[] = [{ x: 2.5, axis: 'epoch', losses: { ce: 0.45 }, lr: null }]
    expect(lossHistoryFromMetrics(rows, live).map((p) => p.x)).toEqual([1, 2, 2.5])
  })
})
