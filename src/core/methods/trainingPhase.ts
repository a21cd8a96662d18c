import type { TrainingPhase } from '../../shared/events'
import type { TrainProgress } from './method'

/**
 * A stage's progress callback: the run's own, with every report marked as this stage's (its name, place and
 * the epochs before it), so the runner's progress bar, ETA and stored curves run on across stages.
 */
export function inPhase(
  onProgress: ((p: TrainProgress) => void) | undefined,
  phase: TrainingPhase,
): ((p: TrainProgress) => void) | undefined {
  return onProgress && ((p) => onProgress({ ...p, phase }))
}
