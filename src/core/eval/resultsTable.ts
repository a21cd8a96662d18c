import type { ResultsCell, ResultsTable } from '../../shared/training'
import type { Project } from '../store/project'
import { listRuns, runMetrics, type RunRow } from '../store/runs'
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
 * label fraction (0–1; −1 for "exactly what was labelled") and metric, each with its mean and the half
 * width of its Student-t 95 % interval over seeds (0 for a single seed), and the runs behind it (a cell
 * opens them).
 */
export function resultsTable(project: Project, task: string, opts: ResultsTableOptions): ResultsTable {
  const groups = new Map<string, Omit<ResultsCell, 'n' | 'mean' | 'ci95'>>()
  for (const r of listRuns(project)) {
    if (r.task !== task || r.status !== 'succeeded' || (r.hidden && !opts.includeHidden)) continue
    if (opts.runIds && !opts.runIds.has(r.id)) continue
    const backbone = opts.backbone(r)
    for (const [metric, value] of Object.entries(finalMetrics(project, r.id))) {
      if (!opts.isMetric(metric) || !Number.isFinite(value)) continue
      const labelFraction = r.labelFraction ?? -1
      const key = JSON.stringify([r.method, backbone, labelFraction, metric])
      const g = groups.get(key) ?? {
        method: r.method,
        backbone,
        labelFraction,
        metric,
        values: [],
        runIds: [],
      }
      g.values.push(value)
      g.runIds.push(r.id)
      groups.set(key, g)
    }
  }
  const cells = [...groups.values()].map((g): ResultsCell => {
    const ci = meanConfidenceInterval(g.values)
    return { ...g, n: g.values.length, mean: ci.mean, ci95: Number.isFinite(ci.halfWidth) ? ci.halfWidth : 0 }
  })
  cells.sort(
    (a, b) =>
      a.method.localeCompare(b.method) ||
      a.backbone.localeCompare(b.backbone) ||
      a.labelFraction - b.labelFraction ||
      a.metric.localeCompare(b.metric),
  )
  return { task, cells }
}
