import * as tf from '@tensorflow/tfjs'

/** torch.nn.GELU() (the exact erf form, not the tanh approximation): x·Φ(x) = ½x(1 + erf(x/√2)). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)))
}
