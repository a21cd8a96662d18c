// The paper's common training settings (S4MI: Adam, lr 3.6e-4, weight decay 1e-5, cosine annealing T_max 50
// down to 3.4e-4, batch 16, 5 seeds), as one typed object. Every value can be overridden per run; the resolved
// object is what a run records.
import { createAdam, createAdamW } from './optim/adam'
import type { Optimizer } from './optim/optimizer'
import { createSgd } from './optim/sgd'
import { cosineAnnealing } from './schedule/cosineAnnealing'
import type { LearningRateSchedule } from './schedule/learningRateSchedule'
import { polyDecay } from './schedule/polyDecay'
import { stepDecay } from './schedule/stepDecay'
import { warmupCosine } from './schedule/warmupCosine'

export const optimizerNames = ['adam', 'adamw', 'sgd'] as const
export const scheduleNames = ['cosine', 'poly', 'step', 'warmupCosine', 'constant'] as const

export interface TrainingSettings {
  optimizer: (typeof optimizerNames)[number]
  learningRate: number
  /** L2 for adam and sgd (torch semantics), decoupled for adamw. */
  weightDecay: number
  beta1: number
  beta2: number
  epsilon: number
  /** SGD only. */
  momentum: number
  nesterov: boolean
  schedule: (typeof scheduleNames)[number]
  /** Cosine: torch CosineAnnealingLR's T_max and eta_min, stepped per epoch. */
  cosineTMax: number
  cosineEtaMin: number
  /** Poly: (1 - it/max)^power per iteration, max = epochs × steps per epoch. */
  polyPower: number
  /** StepLR, per epoch. */
  stepSize: number
  stepGamma: number
  /** Warm-up + cosine (DINO), per iteration. */
  warmupEpochs: number
  finalLearningRate: number
  batchSize: number
  epochs: number
  /** Clip gradients to this global norm; 0 = no clipping. */
  gradClipNorm: number
  /** One run per seed; results report mean and 95 % CI over them. */
  seeds: number[]
}

export const paperTrainingDefaults: Readonly<TrainingSettings> = Object.freeze({
  optimizer: 'adam',
  learningRate: 3.6e-4,
  weightDecay: 1e-5,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  momentum: 0.9,
  nesterov: false,
  schedule: 'cosine',
  cosineTMax: 50,
  cosineEtaMin: 3.4e-4,
  polyPower: 0.9,
  stepSize: 30,
  stepGamma: 0.1,
  warmupEpochs: 10,
  finalLearningRate: 1e-6,
  batchSize: 16,
  epochs: 50,
  gradClipNorm: 0,
  // The first three are the SSL4MIS README's seeds; the paper reports 5 seeds without naming them.
  seeds: Object.freeze([73, 211, 1234, 42, 7]) as unknown as number[],
})

const positive = new Set<keyof TrainingSettings>([
  'learningRate',
  'batchSize',
  'epochs',
  'cosineTMax',
  'stepSize',
])
const integers = new Set<keyof TrainingSettings>([
  'batchSize',
  'epochs',
  'cosineTMax',
  'stepSize',
  'warmupEpochs',
])

/** Defaults merged with overrides. Unknown names, wrong types and out-of-range values are errors naming the field. */
export function resolveTrainingSettings(
  overrides: Record<string, unknown> = {},
  source = 'training settings',
  defaults: Readonly<TrainingSettings> = paperTrainingDefaults,
): TrainingSettings {
  const out: TrainingSettings = { ...defaults, seeds: [...defaults.seeds] }
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in defaults)) {
      throw new Error(`${source}: unknown setting '${key}' (known: ${Object.keys(defaults).join(', ')})`)
    }
    const field = key as keyof TrainingSettings
    const expected = defaults[field]
    if (field === 'seeds') {
      if (!Array.isArray(value) || value.length === 0 || !value.every((s) => Number.isInteger(s))) {
        throw new Error(`${source}: seeds must be a non-empty list of integers, got ${JSON.stringify(value)}`)
      }
      out.seeds = [...value]
      continue
    }
    if (typeof value !== typeof expected) {
      throw new Error(`${source}: '${key}' must be a ${typeof expected}, got ${JSON.stringify(value)}`)
    }
    if (field === 'optimizer' && !(optimizerNames as readonly string[]).includes(value as string)) {
      throw new Error(`${source}: optimizer must be one of ${optimizerNames.join(', ')}, got '${value}'`)
    }
    if (field === 'schedule' && !(scheduleNames as readonly string[]).includes(value as string)) {
      throw new Error(`${source}: schedule must be one of ${scheduleNames.join(', ')}, got '${value}'`)
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || value < 0 || (positive.has(field) && value === 0)) {
        throw new Error(`${source}: '${key}' must be ${positive.has(field) ? '> 0' : '>= 0'}, got ${value}`)
      }
      if (integers.has(field) && !Number.isInteger(value)) {
        throw new Error(`${source}: '${key}' must be an integer, got ${value}`)
      }
    }
    ;(out as unknown as Record<string, unknown>)[key] = value
  }
  return out
}

export function createOptimizerFor(settings: TrainingSettings): Optimizer {
  const { learningRate, weightDecay } = settings
  switch (settings.optimizer) {
    case 'adam':
    case 'adamw': {
      const make = settings.optimizer === 'adam' ? createAdam : createAdamW
      return make({
        learningRate,
        weightDecay,
        beta1: settings.beta1,
        beta2: settings.beta2,
        epsilon: settings.epsilon,
      })
    }
    case 'sgd':
      return createSgd({
        learningRate,
        weightDecay,
        momentum: settings.momentum,
        nesterov: settings.nesterov,
      })
  }
}

/**
 * The learning rate at iteration `iteration` (0-based, counted over the whole run). Epoch-stepped schedules
 * (cosine, step) change at epoch boundaries like torch's schedulers stepped once per epoch.
 */
export function createScheduleFor(settings: TrainingSettings, stepsPerEpoch: number): LearningRateSchedule {
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch <= 0) {
    throw new Error(`stepsPerEpoch must be a positive integer, got ${stepsPerEpoch}`)
  }
  const baseLr = settings.learningRate
  const epochOf = (iteration: number) => Math.floor(iteration / stepsPerEpoch)
  switch (settings.schedule) {
    case 'cosine': {
      const byEpoch = cosineAnnealing({ baseLr, tMax: settings.cosineTMax, etaMin: settings.cosineEtaMin })
      return (iteration) => byEpoch(epochOf(iteration))
    }
    case 'step': {
      const byEpoch = stepDecay({ baseLr, stepSize: settings.stepSize, gamma: settings.stepGamma })
      return (iteration) => byEpoch(epochOf(iteration))
    }
    case 'poly':
      return polyDecay({ baseLr, maxIterations: settings.epochs * stepsPerEpoch, power: settings.polyPower })
    case 'warmupCosine':
      return warmupCosine({
        baseLr,
        finalLr: settings.finalLearningRate,
        epochs: settings.epochs,
        iterationsPerEpoch: stepsPerEpoch,
        warmupEpochs: settings.warmupEpochs,
      })
    case 'constant':
      return () => baseLr
  }
}
