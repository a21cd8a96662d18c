import type * as tf from '@tensorflow/tfjs'
import type { Machine } from './machine'
import { planTrainingMemory, type MemoryPlan, type OptimizerKind } from './memoryEstimate'

/**
 * How many micro-batches a training step is cut into (gradientAccumulation.ts), from the engine's memory
 * plan (memoryEstimate.ts): one sample's activations through everything the step runs, measured, plus
 * weights, gradients and optimiser state, against the backend's limit (wasm: a 4 GiB heap). A run's
 * `microBatches` hyperparameter > 0 overrides the plan. Used by every method that trains a batch at once.
 */
export interface MicroBatchPlan {
  microBatches: number
  /** One line for the run's log. */
  summary: string
}

/**
 * Measures in eval mode: the zero image must not move BatchNorm's running statistics (nor trip its
 * one-value-per-channel check on tiny images); the activations kept are the same size either way.
 */
export async function inEvalMode<T>(
  nets: { train(mode?: boolean): unknown }[],
  plan: () => Promise<T>,
): Promise<T> {
  nets.forEach((n) => n.train(false))
  try {
    return await plan()
  } finally {
    nets.forEach((n) => n.train(true))
  }
}

export function fromMemoryPlan(plan: MemoryPlan): MicroBatchPlan {
  return { microBatches: plan.microBatches, summary: plan.summary }
}

/** A count the run sets itself is taken as it is, unmeasured. */
export function microBatchesAsSet(requested: number): MicroBatchPlan {
  if (!Number.isInteger(requested) || requested < 1)
    throw new Error(`microBatches must be a whole number ≥ 0 (0 = planned from memory), got ${requested}`)
  return {
    microBatches: requested,
    summary: `${requested} micro-batch${requested > 1 ? 'es' : ''} (set by the run)`,
  }
}

/**
 * The plan for nets trained together on one batch (`forward` runs them all on one sample): the run's own
 * count when `requested` > 0, else measured.
 */
export async function planMicroBatches(options: {
  nets: { train(mode?: boolean): unknown; parameterCount(): number }[]
  forward: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[]
  sampleShape: [number, number, number]
  batchSize: number
  optimizer: OptimizerKind
  requested: number
  /** The machine, from the run's host (see planTrainingMemory). */
  machine?: Machine
}): Promise<MicroBatchPlan> {
  if (options.requested > 0) return microBatchesAsSet(options.requested)
  const parameterCount = options.nets.reduce((n, net) => n + net.parameterCount(), 0)
  return fromMemoryPlan(
    await inEvalMode(options.nets, () =>
      planTrainingMemory({
        forward: options.forward,
        parameterCount,
        sampleShape: options.sampleShape,
        batchSize: options.batchSize,
        optimizer: options.optimizer,
        machine: options.machine,
      }),
    ),
  )
}
