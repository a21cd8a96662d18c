import { describe, expect, it } from 'vitest'
import type { ResultsCell } from '../../../shared/training'
import { fractionLabel, groupResults, metricsOf } from './groupResults'

const cell = (method: string, labelFraction: number, metric: string, mean: number): ResultsCell => ({
  method,
  labelFraction,
  metric,
  n: 1,
  mean,
  ci95: 0,
  values: [mean],
})

const cells = [
  cell('cross-teaching', 0.3, 'iou', 0.5),
  cell('supervised', 1, 'iou', 0.7),
  cell('supervised', 0.3, 'iou', 0.4),
  cell('picie', 0, 'iou', 0.3),
  cell('supervised', 0.3, 'dice', 0.55),
]

describe('groupResults', () => {
  it('lays one metric out as method × ascending label fraction', () => {
    const g = groupResults(cells, 'iou')
    expect(g.fractions).toEqual([0, 0.3, 1])
    expect(g.methods).toEqual(['cross-teaching', 'supervised', 'picie'])
    expect(g.cell('supervised', 0.3)?.mean).toBe(0.4)
    expect(g.cell('cross-teaching', 1)).toBeUndefined()
    expect(groupResults(cells, 'dice').methods).toEqual(['supervised'])
  })

  it('lists metrics with the preferred ones first', () => {
    expect(metricsOf(cells, ['iou', 'f1Macro'])).toEqual(['iou', 'dice'])
    expect(metricsOf(cells, ['dice'])).toEqual(['dice', 'iou'])
    expect(metricsOf([], ['iou'])).toEqual([])
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
