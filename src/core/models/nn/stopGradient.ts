import * as tf from '@tensorflow/tfjs'

/**
 * torch's `.detach()`: the same values, and no gradient flows back through them. tfjs has no such op,
 * so this is an identity whose gradient is zero.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad((...args: unknown[]) => {
    const [input] = args as [tf.Tensor]
    return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }
  })
  return tf.tidy('S4miStopGradient', () => op(x) as T)
}
