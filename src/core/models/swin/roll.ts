import * as tf from '@tensorflow/tfjs'
import { registerRollKernels, Roll } from '../../engine/backend/rollKernels'

// The cpu backend always has the roll kernel; wasm gets it with its training kernels.
registerRollKernels('cpu')

/** torch.roll along one axis as tfjs ops (WebGPU, WebGL): element i moves to (i + shift) mod size. */
function rollByOps(x: tf.Tensor, shift: number, axis: number): tf.Tensor {
  const size = x.shape[axis]
  const k = ((shift % size) + size) % size
  if (k === 0) return x
  const begin = x.shape.map(() => 0)
  const tail = [...x.shape]
  tail[axis] = k
  const tailBegin = [...begin]
  tailBegin[axis] = size - k
  const headSize = [...x.shape]
  headSize[axis] = size - k
  return tf.concat([tf.slice(x, tailBegin, tail), tf.slice(x, begin, headSize)], axis)
}

/**
 * torch.roll over several axes: `shifts` has one entry per axis of x (0: not rolled). On cpu and wasm one
 * kernel each way (engine/backend/rollKernels.ts; the gradient is the roll back), elsewhere slices and concats.
 */
export function rollAxes(x: tf.Tensor, shifts: number[]): tf.Tensor {
  if (shifts.every((s, axis) => s % x.shape[axis] === 0)) return x
  if (x.dtype !== 'float32' || tf.getKernel(Roll, tf.getBackend()) == null) {
    return tf.tidy(() => shifts.reduce((y, shift, axis) => rollByOps(y, shift, axis), x))
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const [input] = args as [tf.Tensor]
    const value = tf.engine().runKernel(Roll, { x: input }, { shifts }) as tf.Tensor
    const back = shifts.map((s) => -s)
    const gradFunc = (dy: tf.Tensor) => tf.engine().runKernel(Roll, { x: dy }, { shifts: back }) as tf.Tensor
    return { value, gradFunc }
  })
  // Our own scope name, so tfjs cannot swap in a registered gradient named after the caller's scope.
  return tf.tidy('S4miRoll', () => op(x) as tf.Tensor)
}

/** torch.roll along one axis: element i moves to (i + shift) mod size. */
export function roll(x: tf.Tensor, shift: number, axis: number): tf.Tensor {
  return rollAxes(
    x,
    x.shape.map((_, a) => (a === axis ? shift : 0)),
  )
}
