import { randomUUID } from 'node:crypto'
import type { JobKind, JobProgress, JobState } from '../../shared/events'

export interface JobContext {
  signal: AbortSignal
  progress(p: Partial<JobProgress> & { message?: string }): void
  /** Associates stored runs with this job, so the UI can link progress to results. */
  addRun(runId: number): void
}

/**
 * What a job takes from its device while it runs: CPU threads and bytes of memory. Jobs without a demand
 * take the whole device.
 */
export interface JobDemand {
  threads: number
  bytes: number
}

/** What a device offers jobs at once (see `JobQueue.setCapacity`). */
export type DeviceCapacity = JobDemand

export interface JobSpec {
  kind: JobKind
  title: string
  /**
   * Jobs sharing a device start in submission order; they run side by side only while the device's capacity
   * covers their demands (by default a device runs one job at a time).
   */
  device: string
  demand?: JobDemand
  /** Stored runs this job works on, known up front so a queued job is linked to them too. */
  runIds?: number[]
  run(ctx: JobContext): Promise<unknown>
}

export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message)
    this.name = 'CancelledError'
  }
}

const PROGRESS_INTERVAL_MS = 200

/**
 * Long work (imports, demo generation, training) as jobs: queued per device, with progress, cancel and a
 * final state. Listeners get every state change; progress is throttled so a fast loop cannot flood the UI.
 */
export class JobQueue {
  private jobs = new Map<string, JobState>()
  private specs = new Map<string, JobSpec>()
  private controllers = new Map<string, AbortController>()
  /** Running jobs' demands per device. */
  private running = new Map<string, Map<string, JobDemand>>()
  private capacities = new Map<string, DeviceCapacity>()
  private listeners = new Set<(job: JobState) => void>()
  private lastEmit = new Map<string, number>()
  private finished = new Map<string, Promise<JobState>>()
  private resolvers = new Map<string, (j: JobState) => void>()
  private trailing = new Map<string, ReturnType<typeof setTimeout>>()

  onChange(listener: (job: JobState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  list(): JobState[] {
    return [...this.jobs.values()].map((j) => structuredClone(j))
  }

  get(id: string): JobState {
    const j = this.jobs.get(id)
    if (!j) throw new Error(`No job with id ${id}`)
    return structuredClone(j)
  }

  submit(spec: JobSpec): JobState {
    const job: JobState = {
      id: randomUUID(),
      kind: spec.kind,
      title: spec.title,
      device: spec.device,
      status: 'queued',
      progress: { fraction: null, message: 'Waiting for the device' },
      error: null,
      result: null,
      runIds: [...(spec.runIds ?? [])],
      createdAt: new Date().toISOString(),
    }
    this.jobs.set(job.id, job)
    this.specs.set(job.id, spec)
    this.controllers.set(job.id, new AbortController())
    this.finished.set(job.id, new Promise((resolve) => this.resolvers.set(job.id, resolve)))
    this.emit(job, true)
    this.pump(spec.device)
    return structuredClone(job)
  }

  /** Resolves with the job's final state. */
  wait(id: string): Promise<JobState> {
    const p = this.finished.get(id)
    if (!p) throw new Error(`No job with id ${id}`)
    return p
  }

  cancel(id: string): JobState {
    const job = this.jobs.get(id)
    if (!job) throw new Error(`No job with id ${id}`)
    if (job.status === 'queued') {
      this.finish(job, 'cancelled', null, null)
    } else if (job.status === 'running') {
      job.progress = { ...job.progress, message: 'Cancelling…' }
      this.emit(job, true)
      this.controllers.get(id)?.abort(new CancelledError())
    }
    return structuredClone(job)
  }

  /**
   * Lets jobs of `device` run side by side while their demands fit: the sum of running jobs' threads and
   * bytes stays within `capacity`. A job whose demand exceeds the capacity still runs, alone.
   */
  setCapacity(device: string, capacity: DeviceCapacity): void {
    this.capacities.set(device, { ...capacity })
    this.pump(device)
  }

  /** Whether `demand` can start beside the jobs running on `device` now. */
  private fits(device: string, demand: JobDemand | undefined): boolean {
    const running = [...(this.running.get(device)?.values() ?? [])]
    if (running.length === 0) return true
    const capacity = this.capacities.get(device)
    // Without a capacity, or for a job that states no demand (or beside one that stated none): one at a time.
    if (!capacity || !demand || running.some((d) => !Number.isFinite(d.threads))) return false
    const threads = running.reduce((s, d) => s + d.threads, demand.threads)
    const bytes = running.reduce((s, d) => s + d.bytes, demand.bytes)
    return threads <= capacity.threads && bytes <= capacity.bytes
  }

  private pump(device: string): void {
    // Strictly in submission order: the head job waits for room rather than being overtaken.
    for (;;) {
      const next = [...this.jobs.values()].find((j) => j.device === device && j.status === 'queued')
      if (!next) return
      const demand = this.specs.get(next.id)!.demand
      if (!this.fits(device, demand)) return
      const running = this.running.get(device) ?? new Map<string, JobDemand>()
      running.set(next.id, demand ?? { threads: Infinity, bytes: Infinity })
      this.running.set(device, running)
      void this.execute(next).finally(() => {
        running.delete(next.id)
        this.pump(device)
      })
    }
  }

  private async execute(job: JobState): Promise<void> {
    const spec = this.specs.get(job.id)!
    const controller = this.controllers.get(job.id)!
    job.status = 'running'
    job.progress = { fraction: 0, message: 'Starting' }
    this.emit(job, true)
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (p) => {
        if (job.status !== 'running') return
        // Reports add to what the job showed, except one that starts a stage of its own.
        const kept = p.startsStage ? { fraction: null } : job.progress
        job.progress = { ...kept, ...p, message: p.message ?? job.progress.message }
        this.emit(job, false)
      },
      addRun: (runId) => {
        if (job.runIds.includes(runId)) return
        job.runIds.push(runId)
        this.emit(job, true)
      },
    }
    try {
      const result = await spec.run(ctx)
      if (controller.signal.aborted) this.finish(job, 'cancelled', null, null)
      else this.finish(job, 'succeeded', result, null)
    } catch (e) {
      if (controller.signal.aborted || e instanceof CancelledError) this.finish(job, 'cancelled', null, null)
      else this.finish(job, 'failed', null, e instanceof Error ? e.message : String(e))
    }
  }

  private finish(job: JobState, status: JobState['status'], result: unknown, error: string | null): void {
    job.status = status
    job.result = result
    job.error = error
    job.progress = {
      ...job.progress,
      fraction: status === 'succeeded' ? 1 : job.progress.fraction,
      message: status === 'succeeded' ? 'Done' : status === 'cancelled' ? 'Cancelled' : `Failed: ${error}`,
    }
    this.emit(job, true)
    this.resolvers.get(job.id)?.(structuredClone(job))
  }

  private emit(job: JobState, force: boolean): void {
    const now = Date.now()
    const wait = PROGRESS_INTERVAL_MS - (now - (this.lastEmit.get(job.id) ?? 0))
    if (!force && wait > 0) {
      // Throttled, but the latest progress is still delivered once the interval has passed.
      if (!this.trailing.has(job.id)) {
        this.trailing.set(
          job.id,
          setTimeout(() => {
            this.trailing.delete(job.id)
            if (job.status === 'running') this.emit(job, true)
          }, wait),
        )
      }
      return
    }
    clearTimeout(this.trailing.get(job.id))
    this.trailing.delete(job.id)
    this.lastEmit.set(job.id, now)
    const copy = structuredClone(job)
    for (const l of this.listeners) l(copy)
  }
}

/** Throws if the job was cancelled; call between units of work. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError()
}
