import * as tf from '@tensorflow/tfjs'
import {
  LayerNormTrain,
  LayerNormTrainGrad,
  registerLayerNormKernels,
} from '../../engine/backend/layerNormKernels'

// The cpu backend always has the fused kernels; wasm gets them with its training kernels.
registerLayerNormKernels('cpu')

/** Whether the active backend has the fused layer-norm kernels (cpu and wasm; others use tfjs ops). */
export function hasFusedLayerNorm(): boolean {
  return tf.getKernel(LayerNormTrain, tf.getBackend()) != null
}

/**
 * Layer normalisation over the last axis with the fused kernels of layerNormKernels: two passes forward,
 * three backward, instead of ~30 tfjs ops. weight and bias are [C], C = x's last axis.
 */
export function layerNormOp(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, w, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc]
    const [y, mean, invStd] = tf
      .engine()
      .runKernel(LayerNormTrain, { x: input, weight: w, bias: b }, { eps }) as tf.Tensor[]
    save([input, w, mean, invStd])
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedX, savedW, savedMean, savedInvStd] = saved
      return tf.engine().runKernel(LayerNormTrainGrad, {
        dy,
        x: savedX,
        mean: savedMean,
        invStd: savedInvStd,
        weight: savedW,
      }) as tf.Tensor[]
    }
    return { value: y, gradFunc }
  })
  // Our own scope name, so tfjs cannot swap in a registered gradient named after the caller's scope.
  return tf.tidy('S4miLayerNorm', () => op(x, weight, bias) as tf.Tensor)
}
