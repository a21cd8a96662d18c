import {
  cancelExperiment,
  experimentStatistics,
  experimentSummaries,
  experimentSummary,
  resumeExperiment,
  startExperiment,
} from '../train/experiment'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

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
    'experiments.statistics': async ({ experimentId, metric, level }) =>
      experimentStatistics(session.requireProject(), experimentId, metric, level),
  }
}
