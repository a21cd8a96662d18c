import * as tf from '@tensorflow/tfjs'
import { GeluFused, GeluFusedGrad, registerGeluKernels } from '../../engine/backend/geluKernels'

// The cpu backend always has the fused kernels; wasm gets them with its training kernels.
registerGeluKernels('cpu')

/** torch.nn.GELU() (the exact erf form, not the tanh approximation) as tfjs ops: x·Φ(x) = ½x(1 + erf(x/√2)). */
export function geluByOps(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)))
}

/**
 * torch.nn.GELU(): on cpu and wasm one fused kernel each way (engine/backend/geluKernels.ts), elsewhere (WebGPU,
 * WebGL) and for other dtypes the tfjs ops of geluByOps.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  if (x.dtype !== 'float32' || tf.getKernel(GeluFused, tf.getBackend()) == null) return geluByOps(x)
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc]
    save([input])
    const value = tf.engine().runKernel(GeluFused, { x: input }) as tf.Tensor
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.engine().runKernel(GeluFusedGrad, { x: saved[0], dy }) as tf.Tensor
    return { value, gradFunc }
  })
  // Our own scope name, so tfjs cannot swap in a registered gradient named after the caller's scope.
  return tf.tidy('S4miGelu', () => op(x) as tf.Tensor)
}
