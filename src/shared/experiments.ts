/**
 * Experiments as the renderer, the CLI and the results pane see them: the stored matrix, its progress,
 * and the per-cell statistics (one seed counted once; repeats shown as repeats; n, mean, t-interval).
 */

export type ExperimentTask = 'segmentation' | 'classification'

/** What an experiment trains: every task × method × backbone × label fraction × seed, with one preset. */
export interface ExperimentSpec {
  name: string
  tasks: ExperimentTask[]
  /** Method ids of the catalogue; a method is trained for each task that has it. */
  methods: string[]
  /** Classifier backbones for the methods that take one; empty: each method's default for the preset. */
  backbones: string[]
  /** Shares 0–1 (0.1 … 1); unsupervised methods train once, at 0, whatever is listed. */
  labelFractions: number[]
  /** Seeds 0..seeds-1, the same for every cell, so methods are compared on the same labelled sets. */
  seeds: number
  preset: 'quick' | 'paper'
  /** Hyperparameters set for every run (e.g. epochs), recorded with each run. */
  overrides: Record<string, number | string | boolean>
}

/** One cell of the matrix: a row (task, method, backbone) at one label fraction. */
export interface ExperimentCell {
  task: ExperimentTask
  method: string
  /** The classifier backbone; null for methods without a choice (segmentation's fixed networks). */
  backbone: string | null
  labelFraction: number
}

export interface ExperimentProgress {
  /** Runs the matrix holds (cells × seeds). */
  total: number
  succeeded: number
  /** Of the succeeded: done before the experiment was started (same identity) and not trained again. */
  reused: number
  running: number
  queued: number
  failed: number
  cancelled: number
  /** Seconds until the queued and running runs are done, from how long this experiment's finished runs took; null before any finished. */
  etaSeconds: number | null
  /** How many of its runs train at the same time now (side by side when cores and memory allow). */
  parallel: number
}

export interface ExperimentSummary {
  id: number
  name: string
  splitId: number | null
  spec: ExperimentSpec
  status: 'active' | 'cancelled'
  createdAt: string
  progress: ExperimentProgress
  /** Every run the experiment holds, one per planned cell and seed. */
  runs: { runId: number; cell: ExperimentCell; seed: number; status: string }[]
}

export interface CellRun {
  seed: number
  runId: number
  value: number
  datasetVersion: string
}

/** Statistics of one cell for one metric: a seed counts once, however many times it was run. */
export interface CellStatistics extends ExperimentCell {
  metric: string
  /** Distinct seeds counted. */
  n: number
  mean: number
  /** Sample standard deviation; null when n < 2. */
  std: number | null
  /** Student-t interval at `level`; null when n < 3 (see intervalNote). */
  interval: { lower: number; upper: number; halfWidth: number; level: number } | null
  /** Why no interval is drawn, e.g. "interval not meaningful: n = 2 seeds (needs 3)". */
  intervalNote: string | null
  /** The counted runs, one per seed. */
  counted: CellRun[]
  /** Runs of a seed already counted with the same identity: a repeat, not a new seed. */
  repeats: (CellRun & { repeatOf: number; agrees: boolean })[]
  /** Runs of a counted seed with a different identity (other labels, settings or backend): not counted. */
  excluded: (CellRun & { reason: string })[]
}

/** Whether one cell is above another, judged from the data. */
export interface CellComparison {
  metric: string
  a: ExperimentCell
  b: ExperimentCell
  /** Both cells have the same seeds (and, at the same fraction, the same labelled sets). */
  paired: boolean
  /**
   * Paired: 'higher' when the interval of a − b lies above 0, 'lower' below, 'overlap' when it holds 0. Not
   * paired: 'higher' when a's interval lies above b's, 'lower' below, 'overlap' when they overlap. 'not
   * meaningful': a cell has too few seeds for an interval.
   */
  verdict: 'higher' | 'lower' | 'overlap' | 'not meaningful'
  /** Mean of a − b over the shared seeds with its t-interval, when paired and n ≥ 3. */
  difference: { mean: number; lower: number; upper: number; n: number } | null
  /** The sentence the pane shows, e.g. "Cross teaching at 50 % ≥ Supervised U-Net at 100 %: not distinguishable (intervals overlap)". */
  statement: string
}

export interface ExperimentStatistics {
  experimentId: number
  metric: string
  cells: CellStatistics[]
  comparisons: CellComparison[]
}
