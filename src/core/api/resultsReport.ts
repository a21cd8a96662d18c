import type { ResultsReport } from '../export/resultsExport'
import { evaluationMetric, HEADLINE_METRIC } from '../../shared/evaluationMetrics'
import type { LabelBudgetAdvice } from '../../shared/labelBudget'
import { labelBudgetAdvice } from '../eval/labelBudget'
import type { ResultsTable } from '../../shared/training'
import { finalMetrics, resultsTable } from '../eval/resultsTable'
import { findEntry } from '../methods/catalogue'
import { getMeta, type Project } from '../store/project'
import { experimentRunIds, getExperiment } from '../store/experiments'
import { listRuns, type RunRow } from '../store/runs'
import { loadLabelFraction } from '../store/splits'
import { runDescription, runSummary } from './runSummary'

export interface ReportOptions {
  task: 'segmentation' | 'classification'
  /** Hidden runs join the table (the CSV lists every run either way, marking the hidden ones). */
  includeHidden?: boolean
  /** Only the runs of this experiment. */
  experimentId?: number
}

/** The runs an experiment holds, or undefined (every run) without one. */
function experimentScope(project: Project, experimentId?: number): ReadonlySet<number> | undefined {
  if (experimentId === undefined) return undefined
  getExperiment(project, experimentId)
  return new Set(experimentRunIds(project, experimentId))
}

/** The results table of a task: finished runs' evaluation metrics as method × backbone × label fraction. */
export function projectResultsTable(project: Project, opts: ReportOptions): ResultsTable {
  return resultsTable(project, opts.task, {
    backbone: (r) => runDescription(r).backbone,
    isMetric: (name) => evaluationMetric(name)?.task === opts.task,
    includeHidden: opts.includeHidden,
    runIds: experimentScope(project, opts.experimentId),
  })
}

/** Everything an export needs: every run of the task, the table, and the methods' names. */
export function resultsReport(project: Project, opts: ReportOptions): ResultsReport {
  const scope = experimentScope(project, opts.experimentId)
  return {
    project: getMeta(project, 'name') ?? project.dir,
    task: opts.task,
    runs: listRuns(project)
      .filter((r) => r.task === opts.task && (scope?.has(r.id) ?? true))
      .map((r) => runSummary(project, r)),
    table: projectResultsTable(project, opts),
    methodName: (id) => {
      try {
        return findEntry(opts.task, id).name
      } catch {
        return id
      }
    },
  }
}

/** The label-budget advisor over a task's finished, shown runs (see eval/labelBudget). */
export function projectLabelBudget(
  project: Project,
  opts: { task: 'segmentation' | 'classification'; metric?: string; extra?: number; experimentId?: number },
): LabelBudgetAdvice {
  const scope = experimentScope(project, opts.experimentId)
  const metric = opts.metric ?? HEADLINE_METRIC[opts.task]
  if (evaluationMetric(metric)?.task !== opts.task)
    throw new Error(`metric: "${metric}" is not an evaluation metric of ${opts.task}`)
  const runs = listRuns(project)
    .filter((r) => r.task === opts.task && r.status === 'succeeded' && !r.hidden)
    .filter((r) => scope?.has(r.id) ?? true)
    .map((r) => ({
      method: r.method,
      backbone: runDescription(r).backbone,
      labelledImages: labelledImageCount(project, r),
      final: finalMetrics(project, r.id),
    }))
  return labelBudgetAdvice(runs, { task: opts.task, metric, extra: opts.extra })
}

/** How many images a run had labels for: recorded with it, else counted from its labelled set. */
function labelledImageCount(project: Project, run: RunRow): number {
  const config = run.config as { labelledImages?: unknown; labelFractionId?: unknown }
  if (typeof config.labelledImages === 'number') return config.labelledImages
  if (typeof config.labelFractionId === 'number')
    return loadLabelFraction(project, config.labelFractionId).imageIds.length
  return 0
}
