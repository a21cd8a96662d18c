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
  /**
   * The state a resumed run needs to continue exactly (step count, moments or momentum buffers), keyed by
   * each parameter's position in `params`, as plain arrays for a checkpoint.
   */
  exportState(params: readonly tf.Variable[]): OptimizerState
  /** Restores what exportState gave for the same `params` in the same order. */
  importState(params: readonly tf.Variable[], state: OptimizerState): void
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

/** Named arrays (e.g. `m.12`, `v.12`, `iterations`), the shape a checkpoint stores. */
export type OptimizerState = Record<string, { shape: number[]; values: Float32Array }>

/** Reads one slot of a saved state, checking it fits the parameter it is for. */
export function savedSlot(
  name: string,
  state: OptimizerState,
  key: string,
  param: tf.Variable,
): { shape: number[]; values: Float32Array } | undefined {
  const slot = state[key]
  if (slot && slot.shape.join(',') !== param.shape.join(',')) {
    throw new Error(`${name}: saved state ${key} has shape [${slot.shape}], parameter has [${param.shape}]`)
  }
  return slot
}
