import { cosineAnnealing } from './schedule/cosineAnnealing'
import { polyDecay } from './schedule/polyDecay'
import { stepDecay } from './schedule/stepDecay'

/**
 * The one optimiser configuration every method reads: which optimiser and schedule, as flat
 * hyperparameters a run records and a user can override (--set lr=0.01), the named settings the paper
 * and the reference code use, and the learning rate at each iteration. createTrainingOptimizer
 * (trainingOptimizer.ts) builds the optimiser it describes on the engine's torch-semantics optimisers.
 */

export type OptimizerKind = 'adam' | 'sgd'
export type ScheduleKind = 'cosine' | 'poly' | 'step' | 'constant'

export interface OptimizerSettings {
  optimizer: OptimizerKind
  lr: number
  /** SGD only. */
  momentum: number
  /** L2, added to the gradient (torch Adam and SGD). */
  weightDecay: number
  schedule: ScheduleKind
  /** Cosine: period in epochs, stepped per epoch (the paper: 50, etaMin 3.4e-4); 0 = the whole run, per iteration. */
  cosineTMax: number
  etaMin: number
  /** StepLR: multiply by gamma every stepSize epochs. */
  stepSize: number
  gamma: number
}

type Flat = Record<string, number | string | boolean>

/**
 * The paper's optimiser for every model (S4MI section 3.3): Adam lr 3.6e-4, weight decay 1e-5, cosine
 * annealing per epoch with T_max 50 and a minimum of 3.4e-4.
 */
export const PAPER_OPTIMIZER = {
  optimizer: 'adam',
  lr: 3.6e-4,
  momentum: 0.9,
  weightDecay: 1e-5,
  schedule: 'cosine',
  cosineTMax: 50,
  etaMin: 3.4e-4,
  stepSize: 30,
  gamma: 0.1,
} as const satisfies Flat

/** Quick runs: a larger rate annealed to zero over the short run, so tiny models learn in seconds. */
export const QUICK_OPTIMIZER = {
  ...PAPER_OPTIMIZER,
  lr: 3e-3,
  weightDecay: 0,
  cosineTMax: 0,
  etaMin: 0,
} as const satisfies Flat

/** A preset's optimiser: the paper's, or the quick one. */
export function presetOptimizer(preset: 'paper' | 'quick'): Flat {
  return preset === 'paper' ? PAPER_OPTIMIZER : QUICK_OPTIMIZER
}

/**
 * SSL4MIS's own optimiser for cross teaching (train_cross_teaching_between_cnn_transformer_2D.py: SGD lr
 * 0.01, momentum 0.9, weight decay 1e-4, poly decay), as overrides of the paper's setting.
 */
export const SSL4MIS_OPTIMIZER = {
  optimizer: 'sgd',
  lr: 0.01,
  momentum: 0.9,
  weightDecay: 1e-4,
  schedule: 'poly',
} as const satisfies Flat

const NUMBERS = ['lr', 'momentum', 'weightDecay', 'cosineTMax', 'etaMin', 'stepSize', 'gamma'] as const

/** Reads the optimiser settings out of a run's resolved hyperparameters; a bad value is an error naming it. */
export function optimizerSettings(h: Flat): OptimizerSettings {
  const { optimizer, schedule } = h
  if (optimizer !== 'adam' && optimizer !== 'sgd')
    throw new Error(`optimizer must be 'adam' or 'sgd', got '${String(optimizer)}'`)
  if (schedule !== 'cosine' && schedule !== 'poly' && schedule !== 'step' && schedule !== 'constant') {
    throw new Error(`schedule must be cosine, poly, step or constant, got '${String(schedule)}'`)
  }
  for (const key of NUMBERS) {
    if (typeof h[key] !== 'number' || !Number.isFinite(h[key])) {
      throw new Error(`Hyperparameter '${key}' must be a finite number, got ${JSON.stringify(h[key])}`)
    }
  }
  const n = (key: (typeof NUMBERS)[number]) => h[key] as number
  return {
    optimizer,
    schedule,
    lr: n('lr'),
    momentum: n('momentum'),
    weightDecay: n('weightDecay'),
    cosineTMax: n('cosineTMax'),
    etaMin: n('etaMin'),
    stepSize: n('stepSize'),
    gamma: n('gamma'),
  }
}

/** lr at `iteration` of `total` (0-based); StepLR and the paper's cosine count epochs instead. */
export function scheduledLr(s: OptimizerSettings, iteration: number, total: number, epoch: number): number {
  switch (s.schedule) {
    case 'cosine':
      return s.cosineTMax > 0
        ? cosineAnnealing({ baseLr: s.lr, tMax: s.cosineTMax, etaMin: s.etaMin })(epoch)
        : cosineAnnealing({ baseLr: s.lr, tMax: total, etaMin: s.etaMin })(iteration)
    case 'poly':
      return polyDecay({ baseLr: s.lr, maxIterations: total })(iteration)
    case 'step':
      return stepDecay({ baseLr: s.lr, stepSize: s.stepSize, gamma: s.gamma })(epoch)
    case 'constant':
      return s.lr
  }
}
