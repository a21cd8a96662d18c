import type { BackendStatus } from '../../shared/api'
import type { JobState } from '../../shared/events'
import { CancelledError, type JobContext, type JobQueue } from '../jobs/jobQueue'
import { createRun, getRun, listRuns, updateRun, type RunRow } from '../store/runs'
import { measuredPeakMemory, recordPeakMemory } from '../store/runPeakMemory'
import { runMemoryBound, trainingCapacity } from '../engine/runCapacity'
import type { Project } from '../store/project'
import { runLabelledSet } from '../data/labelledSet'
import { validateTrainRequest, type TrainRequest } from '../methods/validateTrainRequest'
import { findMethod } from '../methods/catalogue'
import { runHyper } from '../methods/method'
import { runIdentity } from './runIdentity'
import type { WorkerLauncher } from './workerLauncher'
import type { FromWorker, WorkerHardware } from './workerProtocol'

export type { TrainRequest }

/** What training needs from the app's session: the open project, the job queue and the backend in use. */
export interface TrainingHost {
  requireProject(): Project
  readonly jobs: JobQueue
  readonly backend: BackendStatus | null
  /** CPU threads and GPU adapters a training worker is told about (absent: the worker's own defaults). */
  readonly hardware?: WorkerHardware
  /** What runs may take together (absent: this machine's, see engine/runCapacity). */
  readonly trainingCapacity?: { threads: number; bytes: number }
}

/** The seeds of a series: the paper repeats every experiment with five seeds; we use 0..n-1 so runs line up. */
export function seedsFor(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i)
}

/** How long a worker gets to stop by itself after a cancel before it is killed. */
const CANCEL_GRACE_MS = 10_000

/**
 * Runs one stored run in a worker process and follows it: progress to the job, cancel to the worker,
 * a crash (non-zero exit, out of memory) to a failed run with its message. The run row is the truth:
 * the worker writes metrics and checkpoints there, so a restarted app can resume it.
 */
export function runInWorker(
  project: Project,
  runId: number,
  launch: WorkerLauncher,
  ctx: JobContext,
  hardware: WorkerHardware = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = launch()
    let settled = false
    let killTimer: ReturnType<typeof setTimeout> | undefined
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(killTimer)
      ctx.signal.removeEventListener('abort', onAbort)
      fn()
    }
    const onAbort = () => {
      worker.send({ type: 'cancel' })
      killTimer = setTimeout(() => worker.kill(), CANCEL_GRACE_MS)
    }
    ctx.signal.addEventListener('abort', onAbort)
    worker.onMessage((m: FromWorker) => {
      switch (m.type) {
        case 'backend':
          ctx.progress({
            message: `Training on ${m.name} (${m.device})${m.warning ? ` — ${m.warning}` : ''}`,
          })
          break
        case 'progress':
          ctx.progress(m.progress)
          break
        case 'done':
          if (m.peakMemoryBytes) recordPeakMemory(project, runId, m.peakMemoryBytes)
          markIfUnfinished(project, runId, 'succeeded', null)
          settle(() => resolve(m.metrics))
          break
        case 'cancelled':
          markIfUnfinished(project, runId, 'cancelled', null)
          settle(() => reject(new CancelledError()))
          break
        case 'failed':
          markIfUnfinished(project, runId, 'failed', m.message)
          settle(() => reject(new Error(m.message)))
          break
      }
    })
    worker.onExit((code) => {
      settle(() => {
        if (ctx.signal.aborted) {
          markIfUnfinished(project, runId, 'cancelled', null)
          reject(new CancelledError())
          return
        }
        const message =
          code === null
            ? 'The training process was killed (out of memory?)'
            : `The training process exited with code ${code} before finishing`
        markIfUnfinished(project, runId, 'failed', message)
        reject(new Error(message))
      })
    })
    worker.send({ type: 'run', projectDir: project.dir, runId, ...hardware })
  })
}

/** The worker normally records the outcome itself; this covers a worker that could not. */
function markIfUnfinished(
  project: Project,
  runId: number,
  status: 'succeeded' | 'failed' | 'cancelled',
  error: string | null,
): void {
  const run = getRun(project, runId)
  if (run.status === 'running' || run.status === 'queued') updateRun(project, runId, { status, error })
}

/**
 * What a run takes from the machine while it trains, so independent runs go side by side when cores and
 * memory allow: its backend's threads, and the memory bound of its configuration (engine/runCapacity).
 */
export function runDemand(
  session: TrainingHost,
  project: Project,
  run: RunRow,
): { threads: number; bytes: number } {
  const preset = (run.config as { preset?: string } | null)?.preset ?? 'quick'
  return {
    threads: Math.max(1, session.backend?.threads ?? session.hardware?.threads ?? 1),
    bytes: runMemoryBound(session.backend?.name ?? null, measuredPeakMemory(project, run.method, preset)),
  }
}

export function submitRun(
  session: TrainingHost,
  project: Project,
  runId: number,
  launch: WorkerLauncher,
): JobState {
  const run = getRun(project, runId)
  const fraction =
    run.labelFraction === null ? 'your labels' : `${Math.round(run.labelFraction * 100)} % labels`
  const device = session.backend?.device ?? 'cpu'
  session.jobs.setCapacity(device, session.trainingCapacity ?? trainingCapacity())
  return session.jobs.submit({
    kind: 'train',
    title: `${run.method} · ${run.task} · ${fraction} · seed ${run.seed}`,
    device,
    demand: runDemand(session, project, run),
    runIds: [runId],
    run: async (ctx) => runInWorker(project, runId, launch, ctx, session.hardware),
  })
}

/**
 * Stores one seed's run: its labelled set for that seed, the dataset version, and the full config the worker
 * reads back. The app, the CLI and the tests all create runs through this one function; the request has
 * passed validateTrainRequest.
 */
export function createSeedRun(
  project: Project,
  req: TrainRequest,
  seed: number,
  backend: string | null,
): number {
  const sel = runLabelledSet(project, req.task, req.labelFraction, seed, req.labelSource ?? 'hand')
  const hyper = runHyper(findMethod(req.task, req.method).method, req.preset, req.overrides)
  return createRun(project, {
    task: req.task,
    method: req.method,
    labelFraction: sel.fraction,
    seed,
    datasetVersion: sel.datasetVersion,
    backend,
    identity: runIdentity({
      task: req.task,
      method: req.method,
      preset: req.preset,
      hyper,
      labelFraction: sel.fraction,
      seed,
      backend,
      datasetVersion: sel.datasetVersion,
    }),
    config: {
      task: req.task,
      method: req.method,
      preset: req.preset,
      labelFraction: req.labelFraction,
      seed,
      overrides: req.overrides,
      splitId: sel.splitId,
      labelFractionId: sel.labelFractionId,
      labelledImages: sel.imageIds.length,
      labelSource: sel.labelSource,
    },
  })
}

/** The backend a new run is planned on, as its identity records it: "wasm (cpu)"; null before the probe. */
export function plannedBackend(session: Pick<TrainingHost, 'backend'>): string | null {
  return session.backend ? `${session.backend.name} (${session.backend.device})` : null
}

/** Creates one run per seed (each with its own labelled set) and queues them. */
export function startTraining(session: TrainingHost, req: TrainRequest, launch: WorkerLauncher): JobState[] {
  const project = session.requireProject()
  const { request } = validateTrainRequest(req)
  const jobs: JobState[] = []
  for (const seed of seedsFor(request.seeds)) {
    const backend = plannedBackend(session)
    const runId = createSeedRun(project, request, seed, backend)
    jobs.push(submitRun(session, project, runId, launch))
  }
  return jobs
}

/** After a crash or restart: runs left running or queued go back in the queue and resume from their checkpoint. */
export function resumeInterruptedRuns(session: TrainingHost, launch: WorkerLauncher): JobState[] {
  const project = session.requireProject()
  const live = new Set(
    session.jobs.list().flatMap((j) => (j.status === 'queued' || j.status === 'running' ? j.runIds : [])),
  )
  return listRuns(project)
    .filter((r) => (r.status === 'running' || r.status === 'queued') && !live.has(r.id))
    .map((r) => {
      updateRun(project, r.id, { status: 'queued' })
      return submitRun(session, project, r.id, launch)
    })
}
