import type { ResultsCell, ResultsTable } from '../../shared/training'
import { trivialAnswer } from '../../shared/trivialAnswer'
import type { Project } from '../store/project'
import { listRuns, runMetrics, type RunRow } from '../store/runs'
import { cellStatistics, type ScoredRun } from './experimentStatistics'
import { meanConfidenceInterval } from './meanConfidenceInterval'

/** A run's final metrics by name (testIou, f1Macro, …). */
export function finalMetrics(project: Project, runId: number): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of runMetrics(project, runId)) if (m.subset === 'final') out[m.name] = m.value
  return out
}

export interface ResultsTableOptions {
  /** The network a run trains, in words (the rows are method × backbone, as the paper's Table 1). */
  backbone(run: RunRow): string
  /** Which final metrics are evaluation metrics of the task (losses and counts stay out). */
  isMetric(name: string): boolean
  /** Hidden runs join the table too. */
  includeHidden?: boolean
  /** Only these runs (an experiment's). */
  runIds?: ReadonlySet<number>
}

/**
 * The paper's comparison (Table 1, Figure 5): the succeeded runs of a task grouped by method, backbone,
 * label fraction (0–1; −1 for "exactly what was labelled") and metric. Each seed counts once per cell, by
 * the experiments' own rule (`cellStatistics`): a second run of a seed with the same identity is a repeat,
 * one with other labels, settings or backend is set aside, and neither narrows the interval. A cell has its
 * mean and the half width of its Student-t 95 % interval over the counted seeds (0 for a single seed), the
 * note that the interval is not meaningful below three seeds, and every run behind it (a cell opens them).
 */
export function resultsTable(project: Project, task: string, opts: ResultsTableOptions): ResultsTable {
  const byMetric = new Map<string, ScoredRun[]>()
  const trivial = new Map<string, ResultsTable['trivialAnswers'][number]>()
  for (const r of listRuns(project)) {
    if (r.task !== task || r.status !== 'succeeded' || (r.hidden && !opts.includeHidden)) continue
    if (opts.runIds && !opts.runIds.has(r.id)) continue
    const backbone = opts.backbone(r)
    const final = finalMetrics(project, r.id)
    const t = trivialAnswer(final)
    if (t) {
      const key = `${t.answer}|${t.f1Macro.toFixed(9)}`
      const seen = trivial.get(key)
      if (seen) seen.runs++
      else trivial.set(key, { ...t, runs: 1 })
    }
    for (const [metric, value] of Object.entries(final)) {
      if (!opts.isMetric(metric) || !Number.isFinite(value)) continue
      const scored: ScoredRun = {
        runId: r.id,
        cell: {
          task: r.task as ScoredRun['cell']['task'],
          method: r.method,
          backbone,
          labelFraction: r.labelFraction ?? -1,
        },
        seed: r.seed,
        identity: r.identity,
        datasetVersion: r.datasetVersion,
        backend: r.backend,
        value,
      }
      byMetric.set(metric, [...(byMetric.get(metric) ?? []), scored])
    }
  }
  const cells: ResultsCell[] = []
  for (const [metric, runs] of byMetric) {
    for (const s of cellStatistics(metric, runs)) {
      const values = s.counted.map((c) => c.value)
      // The t half width even at n = 2, where the tables mark it as not meaningful (`intervalNote`).
      const ci = meanConfidenceInterval(values)
      cells.push({
        method: s.method,
        backbone: s.backbone ?? '',
        labelFraction: s.labelFraction,
        metric,
        n: s.n,
        mean: s.mean,
        ci95: Number.isFinite(ci.halfWidth) ? ci.halfWidth : 0,
        intervalNote: s.intervalNote,
        values,
        runIds: [...s.counted, ...s.repeats, ...s.excluded].map((c) => c.runId),
        repeats: s.repeats.length,
        setAside: s.excluded.map((e) => ({ runId: e.runId, reason: e.reason })),
      })
    }
  }
  cells.sort(
    (a, b) =>
      a.method.localeCompare(b.method) ||
      a.backbone.localeCompare(b.backbone) ||
      a.labelFraction - b.labelFraction ||
      a.metric.localeCompare(b.metric),
  )
  return { task, cells, trivialAnswers: [...trivial.values()].sort((a, b) => b.runs - a.runs) }
}
