import type { JobProgress } from '../../shared/events'
import type { GpuAdapterReport } from '../../shared/gpuAdapters'

/** What the app tells a worker about its hardware when it starts a run or a probe. */
export interface WorkerHardware {
  /** CPU threads for the WebAssembly backend (the app's setting; absent: S4MI_THREADS, else all but one). */
  threads?: number
  /** What the desktop app's Chromium reports for WebGPU and WebGL2 (absent: serve mode and the CLI). */
  gpu?: GpuAdapterReport
}

/** Messages between the app (parent) and the training worker process. */
export type ToWorker =
  | ({ type: 'run'; projectDir: string; runId: number } & WorkerHardware)
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
