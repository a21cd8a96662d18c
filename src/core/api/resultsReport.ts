import type { ResultsReport } from '../export/resultsExport'
import { evaluationMetric } from '../../shared/evaluationMetrics'
import type { ResultsTable } from '../../shared/training'
import { resultsTable } from '../eval/resultsTable'
import { findEntry } from '../methods/catalogue'
import { getMeta, type Project } from '../store/project'
import { listRuns } from '../store/runs'
import { runDescription, runSummary } from './runSummary'

export interface ReportOptions {
  task: 'segmentation' | 'classification'
  /** Hidden runs join the table (the CSV lists every run either way, marking the hidden ones). */
  includeHidden?: boolean
}

/** The results table of a task: finished runs' evaluation metrics as method × backbone × label fraction. */
export function projectResultsTable(project: Project, opts: ReportOptions): ResultsTable {
  return resultsTable(project, opts.task, {
    backbone: (r) => runDescription(r).backbone,
    isMetric: (name) => evaluationMetric(name)?.task === opts.task,
    includeHidden: opts.includeHidden,
  })
}

/** Everything an export needs: every run of the task, the table, and the methods' names. */
export function resultsReport(project: Project, opts: ReportOptions): ResultsReport {
  return {
    project: getMeta(project, 'name') ?? project.dir,
    task: opts.task,
    runs: listRuns(project)
      .filter((r) => r.task === opts.task)
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
