// What every optimiser offers the training loop. Semantics follow torch.optim so that hyperparameters from the
// paper and the reference code mean the same thing here.
import type * as tf from '@tensorflow/tfjs'

export interface Optimizer {
  readonly name: string
  /** Current learning rate; the schedule sets it before each step. */
  learningRate: number
  /** Number of steps taken. */
  readonly iterations: number
  /**
   * Updates `params[i]` in place from `grads[i]`. Does not dispose the gradients (the caller owns them);
   * creates no tensors that outlive the step except the optimiser's own state, made on the first step.
   */
  step(params: readonly tf.Variable[], grads: readonly tf.Tensor[]): void
  /** Optimiser state per parameter (for checkpoints), in the order the params were first seen. */
  stateTensors(): tf.Tensor[]
  dispose(): void
}

export function checkStepArguments(
  name: string,
  params: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
): void {
  if (params.length !== grads.length) {
    throw new Error(`${name}.step: ${params.length} parameters but ${grads.length} gradients`)
  }
  params.forEach((p, i) => {
    const g = grads[i]
    if (g == null) throw new Error(`${name}.step: gradient ${i} (${p.name}) is missing`)
    if (g.shape.join(',') !== p.shape.join(',')) {
      throw new Error(
        `${name}.step: gradient ${i} (${p.name}) has shape [${g.shape}], parameter has [${p.shape}]`,
      )
    }
  })
}

export function checkHyperparameter(
  optimiser: string,
  field: string,
  value: number,
  min: number,
  max = Infinity,
): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${optimiser}: ${field} must be in [${min}, ${max}], got ${value}`)
  }
}
