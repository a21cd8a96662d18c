import * as tf from '@tensorflow/tfjs'
import { accumulateGradients, type MicroBatch } from './gradientAccumulation'
import type { OptimizerSettings } from './optimizerConfig'
import { createAdam } from './optim/adam'
import type { Optimizer } from './optim/optimizer'
import { createSgd } from './optim/sgd'
import type { TrainState } from './trainState'
import { freeingVariableGrads } from './freeingBackward'

/**
 * The optimiser an OptimizerSettings describes, wrapped for a training loop: one update from a loss,
 * and its state in a checkpoint beside the weights, so a resumed run continues exactly.
 */
export interface TrainingOptimizer {
  /** One update of `variables` from the gradients of `loss` at learning rate `lr`; returns the loss. */
  minimize(loss: () => tf.Scalar, variables: tf.Variable[], lr: number): number
  /**
   * The same update with the batch cut into micro-batches (gradientAccumulation.ts): `lossOf` gives one
   * micro-batch's mean loss; gradients are summed, weighted by each part's share, then one step is taken.
   */
  minimizeInMicroBatches(
    lossOf: (part: MicroBatch) => tf.Scalar,
    parts: readonly MicroBatch[],
    variables: tf.Variable[],
    lr: number,
  ): number
  /** Step count and moments over `variables`, for a checkpoint (methods/trainingCheckpoint.ts names them). */
  exportState(variables: tf.Variable[]): TrainState
  /** Restores what exportState gave for the same variables in the same order. */
  importState(variables: tf.Variable[], state: TrainState): void
  dispose(): void
}

export function createOptimizer(s: OptimizerSettings): TrainingOptimizer {
  const opt: Optimizer =
    s.optimizer === 'adam'
      ? createAdam({ learningRate: s.lr, weightDecay: s.weightDecay })
      : createSgd({ learningRate: s.lr, momentum: s.momentum, weightDecay: s.weightDecay })
  const step = (variables: tf.Variable[], grads: Record<string, tf.Tensor>, lr: number) => {
    // A parameter the loss does not reach (e.g. an unused head) gets no gradient and no update.
    const reached = variables.filter((v) => grads[v.name])
    opt.learningRate = lr
    opt.step(
      reached,
      reached.map((v) => grads[v.name]),
    )
    tf.dispose(grads)
  }
  return {
    minimize(loss, variables, lr) {
      const { value, grads } = freeingVariableGrads(loss, variables)
      step(variables, grads, lr)
      const out = value.dataSync()[0]
      value.dispose()
      return out
    },
    minimizeInMicroBatches(lossOf, parts, variables, lr) {
      const { loss, grads } = accumulateGradients(variables, parts, lossOf)
      step(variables, grads, lr)
      return loss
    },
    exportState: (variables) => opt.exportState(variables),
    importState: (variables, state) => opt.importState(variables, state),
    dispose: () => opt.dispose(),
  }
}
