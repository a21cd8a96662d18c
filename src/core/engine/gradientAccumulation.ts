import * as tf from '@tensorflow/tfjs'
import { freeingVariableGrads } from './freeingBackward'

/**
 * Gradient accumulation: one optimiser step over a batch too large for memory, computed as micro-batches
 * whose gradients are summed before the step. Each micro-batch's loss is its own mean, weighted by its
 * share of the batch (count / batch), so the summed loss and gradients equal the whole batch's mean loss
 * and gradients exactly — for any loss that is a mean over samples (cross-entropy, Dice averaged per
 * image, DINO's and CASS's losses). What does change: BatchNorm in training mode normalises each
 * micro-batch with that micro-batch's own statistics, and its running averages take one update per
 * micro-batch (as PyTorch does when the same accumulation is written by hand).
 */

export interface MicroBatch {
  /** First sample of the batch in this micro-batch. */
  start: number
  count: number
  /** count / batch: what this micro-batch's mean loss is weighted by. */
  weight: number
}

/** `batchSize` samples in `microBatches` contiguous parts as equal as possible (sizes differ by at most one). */
export function microBatchSlices(batchSize: number, microBatches: number): MicroBatch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`micro-batches: the batch size must be a positive integer, got ${batchSize}`)
  }
  if (!Number.isInteger(microBatches) || microBatches < 1) {
    throw new Error(`micro-batches: the count must be a positive integer, got ${microBatches}`)
  }
  const parts = Math.min(microBatches, batchSize)
  const out: MicroBatch[] = []
  let start = 0
  for (let i = 0; i < parts; i++) {
    const count = Math.floor(batchSize / parts) + (i < batchSize % parts ? 1 : 0)
    out.push({ start, count, weight: count / batchSize })
    start += count
  }
  return out
}

export interface AccumulatedGradients {
  /** The batch's loss: the weighted sum of the micro-batches' mean losses. */
  loss: number
  /** Summed gradient per variable name; variables the loss does not reach are absent. The caller disposes them. */
  grads: Record<string, tf.Tensor>
}

/**
 * Runs `lossOf` on each micro-batch (returning that micro-batch's mean loss) and sums the weighted gradients
 * with respect to `variables`. Only one micro-batch's activations are alive at a time, and no second set of
 * gradients beside the sum: each variable's gradient is added in as soon as the backward pass has it final
 * (freeingBackward's onGradient), so a split step holds the sum, one variable's fresh gradient, and that
 * micro-batch's activations. The sum is in micro-batch order, the same numbers as summing at the end.
 */
export function accumulateGradients(
  variables: tf.Variable[],
  parts: readonly MicroBatch[],
  lossOf: (part: MicroBatch) => tf.Scalar,
): AccumulatedGradients {
  if (parts.length === 0) throw new Error('accumulateGradients: no micro-batches')
  const weighted = (part: MicroBatch) => () => tf.mul(lossOf(part), part.weight) as tf.Scalar
  if (parts.length === 1) {
    const { value, grads } = freeingVariableGrads(weighted(parts[0]), variables)
    const loss = value.dataSync()[0]
    value.dispose()
    return { loss, grads }
  }
  const sums: Record<string, tf.Tensor> = {}
  const addIn = (name: string, g: tf.Tensor) => {
    const previous = sums[name]
    sums[name] = tf.keep(previous ? tf.add(previous, g) : g.clone())
    previous?.dispose()
  }
  let loss = 0
  try {
    for (const part of parts) {
      // Every gradient is handed to addIn as the pass finishes it: none is returned.
      const { value } = freeingVariableGrads(weighted(part), variables, addIn)
      loss += value.dataSync()[0]
      value.dispose()
    }
  } catch (e) {
    tf.dispose(Object.values(sums))
    throw e
  }
  return { loss, grads: sums }
}

/** Rows [start, start + count) of every view of a view-major stack [views·B, …] (DINO's multi-crop layout). */
export function sliceViewMajor<T extends tf.Tensor>(x: T, batch: number, part: MicroBatch): T {
  if (x.shape[0] % batch !== 0) {
    throw new Error(`sliceViewMajor: ${x.shape[0]} rows are not whole views of a batch of ${batch}`)
  }
  const views = x.shape[0] / batch
  if (views === 1 && part.count === batch) return x.clone()
  return tf.tidy(() =>
    tf.concat(Array.from({ length: views }, (_, v) => tf.slice(x, v * batch + part.start, part.count))),
  ) as T
}
