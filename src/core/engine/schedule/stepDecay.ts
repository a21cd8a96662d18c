// torch.optim.lr_scheduler.StepLR: multiply by gamma every stepSize steps (PiCIE's SGD + StepLR variant).
import { checkStep, type LearningRateSchedule } from './learningRateSchedule'

export interface StepDecayOptions {
  baseLr: number
  stepSize: number
  gamma?: number
}

export function stepDecay({ baseLr, stepSize, gamma = 0.1 }: StepDecayOptions): LearningRateSchedule {
  if (!Number.isInteger(stepSize) || stepSize <= 0)
    throw new Error(`stepDecay: stepSize must be a positive integer, got ${stepSize}`)
  return (step) => {
    checkStep('stepDecay', step)
    return baseLr * gamma ** Math.floor(step / stepSize)
  }
}
