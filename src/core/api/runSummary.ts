import type { RunSummary } from '../../shared/training'
import type { RunConfig } from '../methods/catalogueEntry'
import { describeRun, type RunDescription } from '../methods/runDescription'
import type { Project } from '../store/project'
import { finalMetrics } from '../eval/resultsTable'
import type { RunRow } from '../store/runs'

function recorded(run: RunRow): { hyper?: unknown; notes: string[] } {
  const progress = (run.progress ?? {}) as { hyper?: unknown; notes?: unknown }
  const notes = Array.isArray(progress.notes)
    ? progress.notes.filter((n): n is string => typeof n === 'string')
    : []
  return { hyper: progress.hyper, notes }
}

export function runDescription(run: RunRow): RunDescription {
  return describeRun(run.config as RunConfig, recorded(run).hyper)
}

/** A stored run as the results pane, the run page and the exports list it. */
export function runSummary(project: Project, run: RunRow): RunSummary {
  const { preset, backbone } = runDescription(run)
  return {
    id: run.id,
    task: run.task,
    method: run.method,
    backbone,
    preset,
    labelFraction: run.labelFraction,
    seed: run.seed,
    status: run.status,
    backend: run.backend,
    datasetVersion: run.datasetVersion,
    error: run.error,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    hidden: run.hidden,
    final: finalMetrics(project, run.id),
    notes: recorded(run).notes,
  }
}
