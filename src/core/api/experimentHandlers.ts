import type { ExperimentCell } from '../../shared/experiments'
import { cellComparisons, cellStatistics, type ScoredRun } from '../eval/experimentStatistics'
import { findEntry } from '../methods/catalogue'
import { BACKBONES, type ClassifierBackbone } from '../../shared/classifierBackbones'
import { experimentRunIds, getExperiment } from '../store/experiments'
import { getRun, runMetrics } from '../store/runs'
import {
  cancelExperiment,
  cellOf,
  experimentSummaries,
  experimentSummary,
  resumeExperiment,
  startExperiment,
} from '../train/experiment'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

/** A row's name in the field's words: "Cross teaching", "DINO · Small ViT (quick)". */
function rowName(c: ExperimentCell): string {
  const method = findEntry(c.task, c.method).name
  if (c.backbone === null) return method
  return `${method} · ${BACKBONES[c.backbone as ClassifierBackbone]?.label ?? c.backbone}`
}

export function experimentHandlers(
  session: Session,
): HandlerGroup<
  | 'experiments.start'
  | 'experiments.list'
  | 'experiments.get'
  | 'experiments.resume'
  | 'experiments.cancel'
  | 'experiments.statistics'
> {
  const changed = () => session.emit({ type: 'project', change: 'runs' })
  return {
    'experiments.start': async (spec) => {
      const started = startExperiment(session, spec, session.launchWorker)
      changed()
      return {
        experimentId: started.experimentId,
        queued: started.queued,
        reused: started.reused,
        jobIds: started.jobs.map((j) => j.id),
      }
    },
    'experiments.list': async () => experimentSummaries(session.requireProject()),
    'experiments.get': async ({ experimentId }) => experimentSummary(session.requireProject(), experimentId),
    'experiments.resume': async ({ experimentId }) => {
      const jobs = resumeExperiment(session, experimentId, session.launchWorker)
      changed()
      return { jobIds: jobs.map((j) => j.id) }
    },
    'experiments.cancel': async ({ experimentId }) => {
      cancelExperiment(session, experimentId)
      changed()
      return experimentSummary(session.requireProject(), experimentId)
    },
    'experiments.statistics': async ({ experimentId, metric, level }) => {
      const project = session.requireProject()
      getExperiment(project, experimentId)
      const scored: ScoredRun[] = []
      for (const runId of experimentRunIds(project, experimentId)) {
        const run = getRun(project, runId)
        if (run.status !== 'succeeded') continue
        const value = runMetrics(project, runId).find((m) => m.subset === 'final' && m.name === metric)?.value
        if (value === undefined) continue
        scored.push({
          runId,
          cell: cellOf(run),
          seed: run.seed,
          identity: run.identity,
          datasetVersion: run.datasetVersion,
          backend: run.backend,
          value,
        })
      }
      const cells = cellStatistics(metric, scored, level)
      return { experimentId, metric, cells, comparisons: cellComparisons(cells, rowName, level) }
    },
  }
}
