import * as tf from '@tensorflow/tfjs'
import {
  BatchNormTrain,
  BatchNormTrainGrad,
  registerBatchNormKernels,
} from '../../engine/backend/batchNormKernels'

// The cpu backend always has the fused kernels; wasm gets them with its training kernels.
registerBatchNormKernels('cpu')

/** Whether the active backend has the fused batch-norm kernels (cpu and wasm; others use tfjs ops). */
export function hasFusedBatchNorm(): boolean {
  return tf.getKernel(BatchNormTrain, tf.getBackend()) != null
}

/**
 * Training-mode batch normalisation over the last axis with the fused kernels of batchNormKernels: two
 * passes forward, two backward (instead of ~18 tfjs ops). Returns the output and the batch mean and biased
 * variance ([C] tensors, for the running estimates; the caller disposes them).
 */
export function batchNormTrainOp(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor,
  eps: number,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  let mean: tf.Tensor1D | null = null
  let variance: tf.Tensor1D | null = null
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, w, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc]
    const [y, m, v] = tf
      .engine()
      .runKernel(BatchNormTrain, { x: input, weight: w, bias: b }, { eps }) as tf.Tensor[]
    // The op runs its body in a tidy: keep the statistics for the caller's running estimates.
    mean = tf.keep(m) as tf.Tensor1D
    variance = tf.keep(v) as tf.Tensor1D
    save([input, w, m, v])
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedX, savedW, savedMean, savedVar] = saved
      return tf
        .engine()
        .runKernel(
          BatchNormTrainGrad,
          { dy, x: savedX, mean: savedMean, variance: savedVar, weight: savedW },
          { eps },
        ) as tf.Tensor[]
    }
    return { value: y, gradFunc }
  })
  // Our own scope name, so tfjs cannot swap in a registered gradient named after the caller's scope.
  const y = tf.tidy('S4miBatchNormTrain', () => op(x, weight, bias) as tf.Tensor)
  return { y, mean: mean!, variance: variance! }
}
