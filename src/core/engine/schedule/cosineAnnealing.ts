// torch.optim.lr_scheduler.CosineAnnealingLR in closed form. Past tMax torch's schedule keeps following the
// cosine, so the rate climbs back to the base rate at 2·tMax; we do the same so paper runs longer than tMax
// epochs behave as theirs did.
import { checkStep, type LearningRateSchedule } from './learningRateSchedule'

export interface CosineAnnealingOptions {
  baseLr: number
  tMax: number
  etaMin?: number
}

export function cosineAnnealing({ baseLr, tMax, etaMin = 0 }: CosineAnnealingOptions): LearningRateSchedule {
  if (!(tMax > 0)) throw new Error(`cosineAnnealing: tMax must be > 0, got ${tMax}`)
  return (step) => {
    checkStep('cosineAnnealing', step)
    return etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * step) / tMax))) / 2
  }
}
