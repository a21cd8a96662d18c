import { percent } from '../train/percent'
import type { ResultsCell } from '../../../shared/training'

export interface ResultsGrid {
  metric: string
  /** Label fractions present, ascending (0 = unsupervised). */
  fractions: number[]
  /** Methods present, in first-seen order. */
  methods: string[]
  cell(method: string, fraction: number): ResultsCell | undefined
}

/** The metrics a results table holds, with the task's headline metric first when present. */
export function metricsOf(cells: ResultsCell[], preferred: string[]): string[] {
  const seen = [...new Set(cells.map((c) => c.metric))]
  const first = preferred.filter((m) => seen.includes(m))
  return [...first, ...seen.filter((m) => !first.includes(m)).sort()]
}

/** Arranges one metric's cells as method × label fraction, the layout of the paper's Figure 5. */
export function groupResults(cells: ResultsCell[], metric: string): ResultsGrid {
  const mine = cells.filter((c) => c.metric === metric)
  const fractions = [...new Set(mine.map((c) => c.labelFraction))].sort((a, b) => a - b)
  const methods = [...new Set(mine.map((c) => c.method))]
  const byKey = new Map(mine.map((c) => [`${c.method}\u0000${c.labelFraction}`, c]))
  return { metric, fractions, methods, cell: (m, f) => byKey.get(`${m}\u0000${f}`) }
}

/** How a label fraction (0–1) reads: percent, or "as labelled" for the user's own labels (stored as −1 or null). */
export function fractionLabel(f: number | null): string {
  return f === null || f < 0 ? 'as labelled' : percent(f)
}
