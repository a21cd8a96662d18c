import type { CellComparison, CellRun, CellStatistics, ExperimentCell } from '../../shared/experiments'
import { meanConfidenceInterval } from './meanConfidenceInterval'

/**
 * Honest statistics over an experiment's finished runs. A seed is counted once per cell: a second run of
 * that seed with the same identity is a repeat (shown, with whether it agrees), one with another identity
 * (other labels, settings or backend) is set aside. Each cell gets n, mean and the Student-t interval; with
 * fewer than three seeds it says the interval is not meaningful instead of giving one (at n = 2 the t
 * quantile is 12.7: the "interval" spans everything). Comparisons say from the intervals whether one cell
 * is above another, and give the paired difference where the cells share seeds and labelled sets.
 */

/** A finished run with its score for the metric asked about. */
export interface ScoredRun {
  runId: number
  cell: ExperimentCell
  seed: number
  identity: string | null
  datasetVersion: string
  backend: string | null
  value: number
}

/** The fewest seeds for which a t-interval is shown. */
export const MIN_SEEDS_FOR_INTERVAL = 3

export function cellKey(c: ExperimentCell): string {
  return `${c.task}|${c.method}|${c.backbone ?? ''}|${c.labelFraction}`
}

function rowKey(c: ExperimentCell): string {
  return `${c.task}|${c.method}|${c.backbone ?? ''}`
}

function cellRun(r: ScoredRun): CellRun {
  return { seed: r.seed, runId: r.runId, value: r.value, datasetVersion: r.datasetVersion }
}

/** Why a run of an already counted seed is not the same run again. */
function difference(a: ScoredRun, b: ScoredRun): string {
  if (a.datasetVersion !== b.datasetVersion)
    return `other labels than run ${a.runId} (dataset version ${b.datasetVersion}, not ${a.datasetVersion})`
  if (a.backend !== b.backend) return `another backend than run ${a.runId} (${b.backend ?? 'unknown'})`
  return `other settings than run ${a.runId}`
}

export function cellStatistics(metric: string, runs: ScoredRun[], level = 0.95): CellStatistics[] {
  const cells = new Map<string, ScoredRun[]>()
  for (const r of [...runs].sort((a, b) => a.runId - b.runId)) {
    if (!Number.isFinite(r.value)) continue
    const key = cellKey(r.cell)
    cells.set(key, [...(cells.get(key) ?? []), r])
  }
  const out: CellStatistics[] = []
  for (const cellRuns of cells.values()) {
    const first = new Map<number, ScoredRun>()
    const stats: Pick<CellStatistics, 'counted' | 'repeats' | 'excluded'> = {
      counted: [],
      repeats: [],
      excluded: [],
    }
    for (const r of cellRuns) {
      const counted = first.get(r.seed)
      if (!counted) {
        first.set(r.seed, r)
        stats.counted.push(cellRun(r))
      } else if (counted.identity !== null && counted.identity === r.identity) {
        stats.repeats.push({ ...cellRun(r), repeatOf: counted.runId, agrees: r.value === counted.value })
      } else {
        stats.excluded.push({ ...cellRun(r), reason: difference(counted, r) })
      }
    }
    stats.counted.sort((a, b) => a.seed - b.seed)
    const values = stats.counted.map((c) => c.value)
    const ci = meanConfidenceInterval(values, level)
    const n = values.length
    out.push({
      ...cellRuns[0].cell,
      metric,
      n,
      mean: ci.mean,
      std: n >= 2 ? ci.std : null,
      interval:
        n >= MIN_SEEDS_FOR_INTERVAL
          ? { lower: ci.lower, upper: ci.upper, halfWidth: ci.halfWidth, level }
          : null,
      intervalNote:
        n >= MIN_SEEDS_FOR_INTERVAL
          ? null
          : `interval not meaningful: n = ${n} seed${n === 1 ? '' : 's'} (needs ${MIN_SEEDS_FOR_INTERVAL})`,
      ...stats,
    })
  }
  return out.sort((a, b) => rowKey(a).localeCompare(rowKey(b)) || a.labelFraction - b.labelFraction)
}

function fractionWords(f: number): string {
  return f === 0 ? 'without labels' : `at ${Math.round(f * 100)} %`
}

const fmt = (v: number) => v.toFixed(3)

/** A difference with its interval as printed: "+0.110 [0.031, 0.188]". */
export function signedInterval(d: { mean: number; lower: number; upper: number }): string {
  return `${d.mean >= 0 ? '+' : ''}${fmt(d.mean)} [${fmt(d.lower)}, ${fmt(d.upper)}]`
}

/** Said of two cells whose seeds or labelled sets differ: their intervals, not their differences, decide. */
const NOT_PAIRED = '; not paired (different seeds or labelled sets)'

/**
 * Whether a's scores are at least b's. Paired when both have the same seeds and, seed by seed, the same
 * labelled set (the same dataset version: at equal fractions the experiment draws the same set per seed);
 * then judged by the t-interval of the per-seed differences, else by whether the cells' intervals separate.
 */
export function compareCells(
  a: CellStatistics,
  b: CellStatistics,
  name: (c: ExperimentCell) => string,
  level = 0.95,
): CellComparison {
  const seedsA = a.counted.map((c) => c.seed).join(',')
  const seedsB = b.counted.map((c) => c.seed).join(',')
  const sameSets = a.counted.every((c, i) => b.counted[i]?.datasetVersion === c.datasetVersion)
  const paired = seedsA === seedsB && (a.labelFraction !== b.labelFraction || sameSets)
  let difference: CellComparison['difference'] = null
  if (paired && a.n >= MIN_SEEDS_FOR_INTERVAL) {
    const d = meanConfidenceInterval(
      a.counted.map((c, i) => c.value - b.counted[i].value),
      level,
    )
    difference = { mean: d.mean, lower: d.lower, upper: d.upper, n: d.n }
  }
  const question = `${name(a)} ${fractionWords(a.labelFraction)} ≥ ${name(b)} ${fractionWords(b.labelFraction)}`
  const interval = (c: CellStatistics) =>
    `${fmt(c.mean)} [${fmt(c.interval!.lower)}, ${fmt(c.interval!.upper)}]`
  let verdict: CellComparison['verdict']
  let answer: string
  let rest: string
  if (!a.interval || !b.interval) {
    verdict = 'not meaningful'
    const few = [a, b]
      .filter((c) => !c.interval)
      .map((c) => `n = ${c.n} for ${name(c)} ${fractionWords(c.labelFraction)}`)
    answer = `cannot say (${few.join(', ')}; an interval needs ${MIN_SEEDS_FOR_INTERVAL} seeds)`
    rest = paired ? '' : NOT_PAIRED
  } else if (difference) {
    // Paired, seed by seed on the same split (and labelled set): the t-interval of the differences decides.
    // What each seed's draw adds to both scores cancels in a − b, so two cells whose own intervals overlap
    // can still differ clearly (and overlapping intervals are no test of a difference).
    const d = `paired over ${difference.n} seeds, difference ${signedInterval(difference)}`
    if (difference.lower > 0) {
      verdict = 'higher'
      answer = `yes (${d}, above 0)`
    } else if (difference.upper < 0) {
      verdict = 'lower'
      answer = `no (${d}, below 0)`
    } else {
      verdict = 'overlap'
      answer = `not distinguishable (${d}, which includes 0)`
    }
    rest = `; ${interval(a)} and ${interval(b)}`
  } else if (a.interval.lower > b.interval.upper) {
    verdict = 'higher'
    answer = `yes (${interval(a)} lies above ${interval(b)})`
    rest = NOT_PAIRED
  } else if (a.interval.upper < b.interval.lower) {
    verdict = 'lower'
    answer = `no (${interval(a)} lies below ${interval(b)})`
    rest = NOT_PAIRED
  } else {
    verdict = 'overlap'
    answer = `not distinguishable (intervals overlap: ${interval(a)} and ${interval(b)})`
    rest = NOT_PAIRED
  }
  return {
    metric: a.metric,
    a,
    b,
    paired,
    verdict,
    difference,
    statement: `${question}: ${answer}${rest}`,
  }
}

/**
 * The comparisons the pane states: every two rows of a task at each fraction both have, and every cell below
 * full labels against each other row's cell at 100 % ("cross teaching at 50 % ≥ supervised at 100 %").
 */
export function cellComparisons(
  cells: CellStatistics[],
  name: (c: ExperimentCell) => string,
  level = 0.95,
): CellComparison[] {
  const out: CellComparison[] = []
  const strip = (c: CellComparison): CellComparison => ({
    ...c,
    a: { task: c.a.task, method: c.a.method, backbone: c.a.backbone, labelFraction: c.a.labelFraction },
    b: { task: c.b.task, method: c.b.method, backbone: c.b.backbone, labelFraction: c.b.labelFraction },
  })
  for (const a of cells) {
    for (const b of cells) {
      if (a.task !== b.task || rowKey(a) === rowKey(b)) continue
      const sameFraction = a.labelFraction === b.labelFraction && rowKey(a) < rowKey(b)
      const againstFull = b.labelFraction === 1 && a.labelFraction < 1
      if (sameFraction || againstFull) out.push(strip(compareCells(a, b, name, level)))
    }
  }
  return out
}
