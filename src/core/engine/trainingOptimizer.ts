import * as tf from '@tensorflow/tfjs'
import { accumulateGradients, type MicroBatch } from './gradientAccumulation'
import type { OptimizerSettings } from './optimizerConfig'
import { createAdam } from './optim/adam'
import type { Optimizer } from './optim/optimizer'
import { createSgd } from './optim/sgd'
import type { TrainState } from './trainState'

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
  /** Step count and moments for a checkpoint, under `optimizer.<prefix>.`, so a resumed run continues exactly. */
  exportState(variables: tf.Variable[], prefix: string): TrainState
  importState(variables: tf.Variable[], prefix: string, state: TrainState): void
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
      const { value, grads } = tf.variableGrads(loss, variables)
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
