// DINO's per-iteration schedule (facebookresearch/dino utils.cosine_scheduler): linear warm-up from startLr to
// baseLr over the warm-up iterations, then half a cosine down to finalLr at the last iteration. DINO uses it for
// the learning rate, the weight decay (0.04 -> 0.4, no warm-up) and the teacher momentum (0.996 -> 1).
import { checkStep, type LearningRateSchedule } from './learningRateSchedule'

export interface WarmupCosineOptions {
  baseLr: number
  finalLr: number
  epochs: number
  iterationsPerEpoch: number
  warmupEpochs?: number
  startLr?: number
}

export function warmupCosine(options: WarmupCosineOptions): LearningRateSchedule {
  const { baseLr, finalLr, epochs, iterationsPerEpoch, warmupEpochs = 0, startLr = 0 } = options
  const total = epochs * iterationsPerEpoch
  const warmup = warmupEpochs * iterationsPerEpoch
  if (!(total > 0)) throw new Error(`warmupCosine: epochs × iterationsPerEpoch must be > 0, got ${total}`)
  if (warmup >= total)
    throw new Error(`warmupCosine: warm-up (${warmup} its) must be shorter than the run (${total})`)
  return (step) => {
    checkStep('warmupCosine', step)
    // numpy.linspace(start, base, warmup) includes both ends.
    if (step < warmup) return warmup > 1 ? startLr + ((baseLr - startLr) * step) / (warmup - 1) : startLr
    const k = Math.min(step, total - 1) - warmup
    return finalLr + 0.5 * (baseLr - finalLr) * (1 + Math.cos((Math.PI * k) / (total - warmup)))
  }
}
