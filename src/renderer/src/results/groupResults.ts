import { percent } from '../train/percent'
import type { ResultsCell } from '../../../shared/training'

/** A row of the paper's Table 1: one method with one backbone. */
export interface ResultsRow {
  key: string
  method: string
  backbone: string
}

export interface ResultsGrid {
  metric: string
  /** Label fractions present, ascending (0 = unsupervised). */
  fractions: number[]
  /** Method × backbone rows present, in first-seen order. */
  rows: ResultsRow[]
  cell(rowKey: string, fraction: number): ResultsCell | undefined
  /** The rows with the highest mean in a column (every evaluation metric is higher-is-better); [] for one row. */
  best(fraction: number): string[]
}

export function rowKey(c: Pick<ResultsCell, 'method' | 'backbone'>): string {
  return `${c.method}\u0000${c.backbone}`
}

/** Arranges one metric's cells as (method × backbone) × label fraction, the layout of Table 1 and Figure 5. */
export function groupResults(cells: ResultsCell[], metric: string): ResultsGrid {
  const mine = cells.filter((c) => c.metric === metric)
  const fractions = [...new Set(mine.map((c) => c.labelFraction))].sort((a, b) => a - b)
  const rows = new Map<string, ResultsRow>()
  for (const c of mine) rows.set(rowKey(c), { key: rowKey(c), method: c.method, backbone: c.backbone })
  const byKey = new Map(mine.map((c) => [`${rowKey(c)}\u0000${c.labelFraction}`, c]))
  const cell = (row: string, f: number) => byKey.get(`${row}\u0000${f}`)
  return {
    metric,
    fractions,
    rows: [...rows.values()],
    cell,
    best: (f) => {
      const inColumn = [...rows.keys()].flatMap((r) => {
        const c = cell(r, f)
        return c ? [{ r, mean: c.mean }] : []
      })
      if (inColumn.length < 2) return []
      const top = Math.max(...inColumn.map((x) => x.mean))
      return inColumn.filter((x) => x.mean === top).map((x) => x.r)
    },
  }
}

/** How a label fraction (0–1) reads: percent, or "as labelled" for the user's own labels (stored as −1 or null). */
export function fractionLabel(f: number | null): string {
  return f === null || f < 0 ? 'as labelled' : percent(f)
}
