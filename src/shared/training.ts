import type { TrivialAnswer } from './trivialAnswer'
import type { LabelSource, RunStatus, Subset } from './types'

/** Slide tiles left out as mostly glass (tissue detection), per subset of a run's split. */
export type GlassTilesSkipped = Record<Subset, { tiles: number; slides: number }>

export interface RunSummary {
  id: number
  task: string
  method: string
  /** The network it trains, in words ('ResNet-34 U-Net', 'ViT-B/16'). */
  backbone: string
  preset: string
  labelFraction: number | null
  seed: number
  status: RunStatus
  backend: string | null
  datasetVersion: string
  error: string | null
  /** When it was queued. */
  createdAt: string
  /** When training began (null while queued). */
  startedAt: string | null
  finishedAt: string | null
  /** Left out of the results table (still stored, still exported on request). */
  hidden: boolean
  /** Final test metrics by name (iou, dice, f1Macro, ...). */
  final: Record<string, number>
  /** What the run said about how it ran, e.g. "no ImageNet weights imported: starting from random weights". */
  notes: string[]
}

export interface ResultsCell {
  method: string
  backbone: string
  /** Share of labels, 0–1 (0 for unsupervised; -1 for "exactly what was labelled"). */
  labelFraction: number
  metric: string
  n: number
  mean: number
  /** Half width of the 95 % t-interval over seeds (0 when n = 1). */
  ci95: number
  /** Why the interval says little ("interval not meaningful: n = 2 seeds …"); null from three seeds on. */
  intervalNote: string | null
  /** One score per counted seed, in seed order. */
  values: number[]
  /** Every run behind the cell: the counted seeds first (in the order of `values`), then repeats and set-aside runs. */
  runIds: number[]
  /** Runs that repeated a counted seed with the same identity (not counted again). */
  repeats: number
  /** Runs of a counted seed with other labels, settings or backend, and why they were set aside. */
  setAside: { runId: number; reason: string }[]
}

export interface ResultsTable {
  task: string
  cells: ResultsCell[]
  /**
   * Classification: the best constant answer on the runs' test images (shared/trivialAnswer.ts), one entry
   * per distinct answer (runs on other test splits can have another), with how many runs it applies to.
   * Empty for segmentation.
   */
  trivialAnswers: (TrivialAnswer & { runs: number })[]
}

/** Everything a run page shows about one run. */
export interface RunDetail extends RunSummary {
  /** Every hyperparameter it used (its preset's defaults with its overrides). */
  hyper: Record<string, number | string | boolean>
  /** The overrides it was asked for. */
  overrides: Record<string, number | string | boolean>
  splitId: number | null
  /** The training images whose labels it used, ascending (empty for unsupervised runs). */
  labelledImageIds: number[]
  /**
   * Segmentation: whether it trained on hand-made masks only or on reviewed predictions too; null for
   * classification, unsupervised runs and runs from before it was recorded.
   */
  labelSource: LabelSource | null
  /** What it wrote to its log, in order. */
  log: { at: string; line: string }[]
  /** Slide tiles it left out as mostly glass, per subset; null when it recorded none (runs before this). */
  glassTilesSkipped: GlassTilesSkipped | null
}

/** One test image's scores under a run, against its current ground truth, at the image's own resolution. */
export interface RunImageScore {
  imageId: number
  name: string
  /** Null when the run stored no prediction for it. */
  iou: number | null
  dice: number | null
  /** Whether the run stored a prediction for it (the viewer can show it). */
  predicted: boolean
}
