import type { RunStatus } from './types'

export interface RunSummary {
  id: number
  task: string
  method: string
  labelFraction: number | null
  seed: number
  status: RunStatus
  backend: string | null
  datasetVersion: string
  error: string | null
  createdAt: string
  finishedAt: string | null
  /** Final test metrics by name (iou, dice, f1Macro, ...). */
  final: Record<string, number>
  /** What the run said about how it ran, e.g. "no ImageNet weights imported: starting from random weights". */
  notes: string[]
}

export interface ResultsCell {
  method: string
  /** Share of labels, 0–1 (0 for unsupervised; -1 for "exactly what was labelled"). */
  labelFraction: number
  metric: string
  n: number
  mean: number
  /** Half width of the 95 % t-interval over seeds (0 when n = 1). */
  ci95: number
  values: number[]
}

export interface ResultsTable {
  task: string
  cells: ResultsCell[]
}
