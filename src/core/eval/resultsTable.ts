import type { ResultsCell, ResultsTable } from '../../shared/training'
import type { Project } from '../store/project'
import { listRuns, runMetrics } from '../store/runs'
import { meanConfidenceInterval } from './meanConfidenceInterval'

/** A run's final metrics by name (testIou, f1Macro, …). */
export function finalMetrics(project: Project, runId: number): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of runMetrics(project, runId)) if (m.subset === 'final') out[m.name] = m.value
  return out
}

/**
 * The paper's comparison (Figure 5, Tables 2–4): the succeeded runs of a task grouped by method, label
 * fraction (0–1; −1 for "exactly what was labelled") and metric, each with its mean and the half width
 * of its Student-t 95 % interval over seeds (0 for a single seed).
 */
export function resultsTable(project: Project, task: string): ResultsTable {
  const groups = new Map<
    string,
    { method: string; labelFraction: number; metric: string; values: number[] }
  >()
  for (const r of listRuns(project)) {
    if (r.task !== task || r.status !== 'succeeded') continue
    for (const [metric, value] of Object.entries(finalMetrics(project, r.id))) {
      const labelFraction = r.labelFraction ?? -1
      const key = `${r.method}|${labelFraction}|${metric}`
      const g = groups.get(key) ?? { method: r.method, labelFraction, metric, values: [] }
      g.values.push(value)
      groups.set(key, g)
    }
  }
  const cells = [...groups.values()].map((g): ResultsCell => {
    const ci = meanConfidenceInterval(g.values)
    return {
      ...g,
      n: g.values.length,
      mean: ci.mean,
      ci95: Number.isFinite(ci.halfWidth) ? ci.halfWidth : 0,
      values: g.values,
    }
  })
  cells.sort(
    (a, b) =>
      a.method.localeCompare(b.method) ||
      a.labelFraction - b.labelFraction ||
      a.metric.localeCompare(b.metric),
  )
  return { task, cells }
}
