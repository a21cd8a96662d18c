import { describe, expect, it } from 'vitest'
import type { ResultsCell } from '../../../shared/training'
import { fractionLabel, groupResults, rowKey } from './groupResults'

const cell = (
  method: string,
  labelFraction: number,
  metric: string,
  mean: number,
  backbone = 'U-Net',
): ResultsCell => ({
  method,
  backbone,
  labelFraction,
  metric,
  n: 1,
  mean,
  ci95: 0,
  intervalNote: 'interval not meaningful: n = 1 seed (needs 3)',
  values: [mean],
  runIds: [1],
  repeats: 0,
  setAside: [],
})

const cells = [
  cell('cross-teaching', 0.3, 'iou', 0.5),
  cell('supervised', 1, 'iou', 0.7),
  cell('supervised', 0.3, 'iou', 0.4),
  cell('supervised', 0.3, 'iou', 0.45, 'ViT'),
  cell('picie', 0, 'iou', 0.3),
  cell('supervised', 0.3, 'dice', 0.55),
]

describe('groupResults', () => {
  it('lays one metric out as (method × backbone) × ascending label fraction', () => {
    const g = groupResults(cells, 'iou')
    expect(g.fractions).toEqual([0, 0.3, 1])
    expect(g.rows.map((r) => [r.method, r.backbone])).toEqual([
      ['cross-teaching', 'U-Net'],
      ['supervised', 'U-Net'],
      ['supervised', 'ViT'],
      ['picie', 'U-Net'],
    ])
    const sup = rowKey({ method: 'supervised', backbone: 'U-Net' })
    expect(g.cell(sup, 0.3)?.mean).toBe(0.4)
    expect(g.cell(rowKey({ method: 'supervised', backbone: 'ViT' }), 0.3)?.mean).toBe(0.45)
    expect(g.cell(rowKey({ method: 'cross-teaching', backbone: 'U-Net' }), 1)).toBeUndefined()
    expect(groupResults(cells, 'dice').rows.map((r) => r.method)).toEqual(['supervised'])
  })

  it('marks the best mean of each column, and nothing in a column of one', () => {
    const g = groupResults(cells, 'iou')
    expect(g.best(0.3)).toEqual([rowKey({ method: 'cross-teaching', backbone: 'U-Net' })])
    expect(g.best(1)).toEqual([])
    expect(g.best(0)).toEqual([])
  })
})

describe('fractionLabel', () => {
  it('names the user-labelled runs instead of a negative percent', () => {
    expect(fractionLabel(0.3)).toBe('30 %')
    expect(fractionLabel(null)).toBe('as labelled')
    expect(fractionLabel(0)).toBe('0 %')
    expect(fractionLabel(-1)).toBe('as labelled')
  })
})
