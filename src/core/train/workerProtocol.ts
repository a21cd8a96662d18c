import type { JobProgress } from '../../shared/events'
import type { GpuAdapterReport } from '../../shared/gpuAdapters'
import type { BackendInfo } from '../engine/backend/backendInfo'

/** The backend a run trains on, as its record keeps it. */
export interface BackendReport {
  name: string
  device: string
  warning: string | null
  /** Why each faster backend was skipped: recorded with the run beside the one used. */
  skipped?: string[]
}

/** What the app tells a worker about its hardware when it starts a run or a probe. */
export interface WorkerHardware {
  /** CPU threads for the WebAssembly backend (the app's setting; absent: S4MI_THREADS, else all but one). */
  threads?: number
  /** What the desktop app's Chromium reports for WebGPU and WebGL2 (absent: serve mode and the CLI). */
  gpu?: GpuAdapterReport
  /**
   * The GPU window only: the GPU backend the user forced (S4MI_BACKEND=webgpu or webgl), tried alone and
   * allowed a software adapter, as a forced backend is everywhere else.
   */
  forcedGpu?: 'webgpu' | 'webgl'
}

/** Messages between the app (parent) and the training worker process. */
export type ToWorker =
  | ({ type: 'run'; projectDir: string; runId: number } & WorkerHardware)
  /**
   * Host a run the GPU window trains: the project, its images and checkpoints stay here, the training loop
   * runs in the window (`backend` is the one it chose), over the port that comes with this message.
   */
  | ({ type: 'host'; projectDir: string; runId: number; backend: BackendReport } & WorkerHardware)
  | { type: 'cancel' }
  | ({ type: 'probe' } & WorkerHardware)

export type FromWorker =
  | {
      type: 'backend'
      name: string
      device: string
      warning: string | null
      accelerated: boolean
      slowFallback: boolean
      threads: number
      skipped: string[]
    }
  | { type: 'progress'; progress: Partial<JobProgress> }
  | {
      type: 'done'
      metrics: Record<string, number>
      /** The worker process's peak resident set: the next run of this configuration is planned with it. */
      peakMemoryBytes?: number
    }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string }
  /**
   * Only from the GPU training window: neither WebGPU nor WebGL2 would train here, with the reason for each.
   * The app hands the same job to the CPU worker, which records these reasons in its chain.
   */
  | { type: 'gpuUnavailable'; webgpu: string; webgl: string }

/** The 'backend' message for the backend a worker (or the GPU window) chose. */
export function backendMessage(b: BackendInfo): FromWorker & { type: 'backend' } {
  return {
    type: 'backend',
    name: b.name,
    device: b.device,
    warning: b.warning ?? null,
    accelerated: b.accelerated,
    slowFallback: b.slowFallback,
    threads: b.threads,
    skipped: b.skipped,
  }
}
