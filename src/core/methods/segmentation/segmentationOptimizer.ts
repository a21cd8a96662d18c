import * as tf from '@tensorflow/tfjs'
import type { TrainState } from '../../engine/trainState'
import { createAdam } from '../../engine/optim/adam'
import type { Optimizer } from '../../engine/optim/optimizer'
import { createSgd } from '../../engine/optim/sgd'
import { cosineAnnealing } from '../../engine/schedule/cosineAnnealing'
import { polyDecay } from '../../engine/schedule/polyDecay'
import { stepDecay } from '../../engine/schedule/stepDecay'

/**
 * The optimiser settings the segmentation methods offer, on the engine's torch-semantics optimisers
 * and schedules: the paper's Adam + cosine (per iteration), SSL4MIS's SGD + poly, PiCIE's SGD + StepLR
 * (per epoch).
 */
export type OptimizerKind = 'adam' | 'sgd'
export type ScheduleKind = 'cosine' | 'poly' | 'step' | 'constant'

export interface OptimizerSettings {
  optimizer: OptimizerKind
  lr: number
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

/** lr at `iteration` of `total` (0-based); StepLR counts epochs instead. */
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

export interface SegmentationOptimizer {
  /** One update of `variables` from the gradients of `loss` at learning rate `lr`; returns the loss. */
  minimize(loss: () => tf.Scalar, variables: tf.Variable[], lr: number): number
  /** Step count and moments for a checkpoint, under `optimizer.<prefix>.`, so a resumed run continues exactly. */
  exportState(variables: tf.Variable[], prefix: string): TrainState
  importState(variables: tf.Variable[], prefix: string, state: TrainState): void
  dispose(): void
}

export function createOptimizer(s: OptimizerSettings): SegmentationOptimizer {
  const opt: Optimizer =
    s.optimizer === 'adam'
      ? createAdam({ learningRate: s.lr, weightDecay: s.weightDecay })
      : createSgd({ learningRate: s.lr, momentum: s.momentum, weightDecay: s.weightDecay })
  return {
    minimize(loss, variables, lr) {
      const { value, grads } = tf.variableGrads(loss, variables)
      // A parameter the loss does not reach (e.g. an unused head) gets no gradient and no update.
      const reached = variables.filter((v) => grads[v.name])
      opt.learningRate = lr
      opt.step(
        reached,
        reached.map((v) => grads[v.name]),
      )
      const out = value.dataSync()[0]
      value.dispose()
      tf.dispose(grads)
      return out
    },
    exportState(variables, prefix) {
      const out: TrainState = {}
      for (const [k, v] of Object.entries(opt.exportState(variables))) out[`optimizer.${prefix}.${k}`] = v
      return out
    },
    importState(variables, prefix, state) {
      const head = `optimizer.${prefix}.`
      const mine = Object.fromEntries(
        Object.entries(state)
          .filter(([k]) => k.startsWith(head))
          .map(([k, v]) => [k.slice(head.length), v]),
      )
      // Checkpoints written before optimiser state was saved restore the weights only.
      if (Object.keys(mine).length) opt.importState(variables, mine)
    },
    dispose: () => opt.dispose(),
  }
}
