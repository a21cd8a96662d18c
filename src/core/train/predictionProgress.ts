import type { JobProgress } from '../../shared/events'
import type { AfterTraining } from '../methods/catalogueEntry'

/** The stage after training, in the job's message: the run's model predicts every image of the project. */
export const PREDICTING_IMAGES = "Predicting the project's images"

/**
 * What a run hands the work after its training (segmentation: predicting every image of the project, which on
 * a project of slides takes as long as an epoch or more): its cancel signal, and progress that restarts the
 * job's bar for this stage, counted in images (and a slide's tiles), with the time left measured from this
 * stage's own pace.
 */
export function afterTrainingReports(
  signal: AbortSignal,
  post: (progress: Partial<JobProgress>) => void,
  now: () => number = Date.now,
): AfterTraining {
  let started: number | null = null
  return {
    signal,
    progress: ({ done, total, unit }) => {
      // A new start (the host predicting again after the GPU window failed) restarts the clock.
      if (started === null || done === 0) started = now()
      const elapsed = (now() - started) / 1000
      post({
        startsStage: true,
        fraction: total > 0 ? done / total : 1,
        message: `${PREDICTING_IMAGES} · ${done} of ${total} ${unit}`,
        etaSeconds: done > 0 ? (elapsed / done) * (total - done) : undefined,
      })
    },
  }
}
