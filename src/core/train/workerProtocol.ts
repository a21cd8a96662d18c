import type { JobProgress } from '../../shared/events'

/**
 * Messages between the app (parent) and the training worker process. `threads`: CPU threads for the
 * WebAssembly backend (the app's setting; absent: S4MI_THREADS, else all cores but one).
 */
export type ToWorker =
  | { type: 'run'; projectDir: string; runId: number; threads?: number }
  | { type: 'cancel' }
  | { type: 'probe'; threads?: number }

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
  | { type: 'done'; metrics: Record<string, number> }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string }
