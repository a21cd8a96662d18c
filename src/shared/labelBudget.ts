/** What the label-budget advisor says about a task's results (core/eval/labelBudget.ts computes it). */

export interface BudgetEstimate {
  value: number
  /** 95 % interval from refits on the seeds resampled. */
  lower: number
  upper: number
}

export interface LabelBudgetCurve {
  method: string
  backbone: string
  /** What was measured: labelled images and one score per seed. */
  points: { n: number; values: number[] }[]
  /** Why no curve was fitted (too few label fractions), or null. */
  refused: string | null
  /** y(n) = a − b·n^(−c). */
  fit: { a: number; b: number; c: number } | null
  /** The fit along n, with its interval, for drawing over the points. */
  curve: { n: number; y: number; lower: number; upper: number }[]
  /** The fitted score at the most labels measured, and with `extra` more. */
  now: (BudgetEstimate & { n: number }) | null
  more: (BudgetEstimate & { n: number }) | null
}

export interface LabelBudgetEquivalence {
  method: string
  backbone: string
  /** Labelled images the method was measured with. */
  n: number
  reference: { method: string; backbone: string }
  /** Labelled images the reference method needs for the same score; null: its curve never gets there. */
  labels: { value: number | null; lower: number | null; upper: number | null }
  /** Beyond twice the reference's largest measured budget: an extrapolation. */
  extrapolated: boolean
}

export interface LabelBudgetAdvice {
  task: string
  metric: string
  /** How many more labelled images "more" is about. */
  extra: number
  curves: LabelBudgetCurve[]
  equivalences: LabelBudgetEquivalence[]
}
