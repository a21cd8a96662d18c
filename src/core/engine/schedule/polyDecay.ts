// Poly decay lr · (1 − it/max)^power, as SSL4MIS's training loops (power 0.9); 0 at and after maxIterations.
import { checkStep, type LearningRateSchedule } from './learningRateSchedule'

export interface PolyDecayOptions {
  baseLr: number
  maxIterations: number
  power?: number
}

export function polyDecay({ baseLr, maxIterations, power = 0.9 }: PolyDecayOptions): LearningRateSchedule {
  if (!(maxIterations > 0)) throw new Error(`polyDecay: maxIterations must be > 0, got ${maxIterations}`)
  return (step) => {
    checkStep('polyDecay', step)
    return step >= maxIterations ? 0 : baseLr * (1 - step / maxIterations) ** power
  }
}
