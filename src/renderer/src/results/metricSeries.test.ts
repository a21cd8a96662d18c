import { describe, expect, it } from 'vitest'
import { metricSeries } from './metricSeries'

describe('metricSeries', () => {
  it('splits rows into sorted curves per subset and name, by epoch', () => {
    const out = metricSeries([
      { epoch: 2, step: 20, subset: 'val', name: 'iou', value: 0.5 },
      { epoch: 1, step: 10, subset: 'val', name: 'iou', value: 0.3 },
      { epoch: 1, step: 10, subset: 'train', name: 'loss', value: 1.2 },
      { epoch: null, step: null, subset: 'test', name: 'iou', value: 0.6 },
      { epoch: 3, step: 30, subset: 'val', name: 'iou', value: Number.NaN },
    ])
    expect(out.xLabel).toBe('epoch')
    expect(out.series).toEqual([
      {
        label: 'val iou',
        subset: 'val',
        name: 'iou',
        points: [
          { x: 1, y: 0.3 },
          { x: 2, y: 0.5 },
        ],
      },
      { label: 'train loss', subset: 'train', name: 'loss', points: [{ x: 1, y: 1.2 }] },
    ])
  })

  it('spreads the rows of one epoch over it, in the order stored (a curve stored every few steps)', () => {
    const rows = [1, 2, 3, 4].map((step, i) => ({ epoch: 2, step, subset: 'train', name: 'loss', value: i }))
    const out = metricSeries([{ epoch: 1, step: 4, subset: 'train', name: 'loss', value: 9 }, ...rows])
    expect(out.series[0].points).toEqual([
      { x: 1, y: 9 },
      { x: 1.25, y: 0 },
      { x: 1.5, y: 1 },
      { x: 1.75, y: 2 },
      { x: 2, y: 3 },
    ])
  })

  it('falls back to steps, then to row order', () => {
    expect(metricSeries([{ epoch: null, step: 5, subset: null, name: 'loss', value: 1 }])).toEqual({
      xLabel: 'step',
      series: [{ label: 'loss', subset: null, name: 'loss', points: [{ x: 5, y: 1 }] }],
    })
    expect(metricSeries([{ epoch: null, step: null, subset: null, name: 'loss', value: 2 }]).xLabel).toBe(
      'record',
    )
  })
})
