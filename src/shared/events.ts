// The one typed event stream from the core to the renderer: job progress and project changes.

export type JobKind = 'import' | 'demo' | 'train' | 'predict'
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/**
 * One stage of a method that trains in several (DINO: pretraining, then fine-tuning; CASS: pretraining,
 * then each network's fine-tuning): its name for people, its place, and the epochs planned before it, so
 * the progress bar and the curves run on across stages instead of starting again.
 */
export interface TrainingPhase {
  /** As people read it, capitalised: "DINO pretraining", "Fine-tuning", "CNN fine-tuning". */
  name: string
  /** 0-based. */
  index: number
  count: number
  /** Epochs the earlier stages plan (whether they ran in this run or were reused). */
  epochsBefore: number
}

export interface JobProgress {
  /** 0..1, or null when not known yet. */
  fraction: number | null
  message: string
  epoch?: number
  epochs?: number
  step?: number
  steps?: number
  /** Each loss term by name, for live curves. */
  losses?: Record<string, number>
  lr?: number
  imagesPerSecond?: number
  /** Seconds left: of the whole job, or of its current stage when `phase` is given (later ones unknown). */
  etaSeconds?: number
  /** The stage of a several-stage method; epoch and step count within it. */
  phase?: TrainingPhase
  /**
   * This report starts a stage of its own (predicting the project's images after training): what the stage
   * before reported (epoch, step, losses, speed) is dropped, not shown beside it.
   */
  startsStage?: boolean
}

export interface JobState {
  id: string
  kind: JobKind
  title: string
  /** Jobs on the same device run one at a time; the rest wait in order. */
  device: string
  status: JobStatus
  progress: JobProgress
  error: string | null
  result: unknown
  runIds: number[]
  createdAt: string
}

import type { BackendStatus } from './api'
import type { MenuCommand } from './menuCommands'

export type ApiEvent =
  | { type: 'backend'; backend: BackendStatus }
  | { type: 'job'; job: JobState }
  | {
      type: 'project'
      change: 'opened' | 'closed' | 'images' | 'labels' | 'classes' | 'mask' | 'runs'
      imageId?: number
      /**
       * A mask saved from the viewer: the head revision the save made. The window that saved it knows that
       * head from the save's answer, so it need not ask for the mask again.
       */
      head?: number
    }
  /** The desktop app's menu (never sent in serve mode). */
  | { type: 'menu'; command: MenuCommand }
