import type { BackendStatus } from '../../shared/api'
import type { JobState } from '../../shared/events'
import type { ExperimentProgress, ExperimentSpec } from '../../shared/experiments'
import { JobQueue } from '../jobs/jobQueue'
import type { Project } from '../store/project'
import { experimentProgress, startExperiment } from './experiment'
import type { WorkerLauncher } from './workerLauncher'
import type { WorkerHardware } from './workerProtocol'

/**
 * An experiment from start to end outside the app (the CLI): its own job queue, the runs in worker
 * processes one after another, a report as each ends, and a cancel of everything left when `signal` aborts.
 */
export async function runExperiment(
  project: Project,
  spec: ExperimentSpec,
  opts: {
    launch: WorkerLauncher
    backend: BackendStatus
    hardware?: WorkerHardware
    signal?: AbortSignal
    onStart?(started: { experimentId: number; queued: number; reused: number }): void
    onRunEnd?(job: JobState, progress: ExperimentProgress): void
  },
): Promise<{ experimentId: number; progress: ExperimentProgress }> {
  const jobs = new JobQueue()
  const host = { jobs, backend: opts.backend, hardware: opts.hardware, requireProject: () => project }
  const started = startExperiment(host, spec, opts.launch)
  opts.onStart?.(started)
  const cancelAll = () => {
    for (const j of jobs.list()) if (j.status === 'queued' || j.status === 'running') jobs.cancel(j.id)
  }
  opts.signal?.addEventListener('abort', cancelAll)
  const off = jobs.onChange((job) => {
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled')
      opts.onRunEnd?.(job, experimentProgress(project, started.experimentId).progress)
  })
  try {
    await Promise.all(started.jobs.map((j) => jobs.wait(j.id)))
  } finally {
    off()
    opts.signal?.removeEventListener('abort', cancelAll)
  }
  return {
    experimentId: started.experimentId,
    progress: experimentProgress(project, started.experimentId).progress,
  }
}
