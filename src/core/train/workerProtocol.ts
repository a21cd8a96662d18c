import type { JobProgress } from '../../shared/events'

/** Messages between the app (parent) and the training worker process. */
export type ToWorker =
  { type: 'run'; projectDir: string; runId: number } | { type: 'cancel' } | { type: 'probe' }

export type FromWorker =
  | {
      type: 'backend'
      name: string
      device: string
      warning: string | null
      accelerated: boolean
      slowFallback: boolean
    }
  | { type: 'progress'; progress: Partial<JobProgress> }
  | { type: 'done'; metrics: Record<string, number> }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string }
