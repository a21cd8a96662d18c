import type { RunDetail } from '../../shared/training'
import type { RunConfig } from '../methods/catalogueEntry'
import { formatResults, RESULTS_FORMATS } from '../export/resultsExport'
import { deleteRun } from '../store/runDeletion'
import { getRun, listRuns, runLog, runMetrics, setRunHidden } from '../store/runs'
import { loadLabelFraction } from '../store/splits'
import { exportModel } from '../train/modelPackage'
import { runImageScores } from '../train/runImageScores'
import type { HandlerGroup } from './handlerTypes'
import { projectLabelBudget, projectResultsTable, resultsReport } from './resultsReport'
import { runDescription, runGlassTilesSkipped, runSummary } from './runSummary'
import type { Session } from './session'

/** Stored runs: listing, a run's page, hiding, deleting, and the results table over them. */
export function runHandlers(
  session: Session,
): HandlerGroup<
  | 'runs.list'
  | 'runs.get'
  | 'runs.metrics'
  | 'runs.imageScores'
  | 'runs.setHidden'
  | 'runs.delete'
  | 'runs.exportModel'
  | 'results.table'
  | 'results.export'
  | 'results.labelBudget'
> {
  return {
    'runs.list': async () => {
      const p = session.requireProject()
      return listRuns(p).map((r) => runSummary(p, r))
    },
    'runs.get': async ({ runId }) => {
      const p = session.requireProject()
      const run = getRun(p, runId)
      const config = run.config as Partial<RunConfig>
      const labelFractionId = config.labelFractionId ?? null
      const detail: RunDetail = {
        ...runSummary(p, run),
        hyper: runDescription(run).hyper,
        overrides: config.overrides ?? {},
        splitId: config.splitId ?? null,
        labelledImageIds: labelFractionId === null ? [] : loadLabelFraction(p, labelFractionId).imageIds,
        labelSource:
          run.task === 'segmentation' && labelFractionId !== null ? (config.labelSource ?? null) : null,
        log: runLog(p, runId),
        glassTilesSkipped: runGlassTilesSkipped(run),
      }
      return detail
    },
    'runs.metrics': async ({ runId }) => runMetrics(session.requireProject(), runId),
    'runs.imageScores': async ({ runId }) => runImageScores(session.requireProject(), runId),
    'runs.setHidden': async ({ runId, hidden }) => {
      const p = session.requireProject()
      setRunHidden(p, runId, hidden)
      session.emit({ type: 'project', change: 'runs' })
      return runSummary(p, getRun(p, runId))
    },
    'runs.delete': async ({ runId }) => {
      const p = session.requireProject()
      const run = getRun(p, runId)
      if (run.status === 'running' || run.status === 'queued')
        throw new Error(`Run ${runId} is ${run.status}: cancel it in Jobs before deleting it`)
      const removed = deleteRun(p, runId)
      session.emit({ type: 'project', change: 'runs' })
      return removed
    },
    'runs.exportModel': async ({ runId }) => {
      const { safetensors, card } = exportModel(session.requireProject(), runId)
      return {
        baseName: `${card.project.replace(/[^\w.-]+/g, '-')}-run${runId}-${card.method}`,
        safetensorsBase64: safetensors.toString('base64'),
        card,
      }
    },
    'results.table': async (input) => projectResultsTable(session.requireProject(), input),
    'results.labelBudget': async (input) => projectLabelBudget(session.requireProject(), input),
    'results.export': async ({ task, format, metric, includeHidden, experimentId }) => {
      const report = resultsReport(session.requireProject(), { task, includeHidden, experimentId })
      const { extension, mimeType } = RESULTS_FORMATS[format]
      const name = report.project.replace(/[^\w.-]+/g, '-')
      return {
        text: formatResults(report, format, metric),
        fileName: `${name}-${task}-results.${extension}`,
        mimeType,
      }
    },
  }
}
