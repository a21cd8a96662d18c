import * as tf from '@tensorflow/tfjs'
import { Module } from './module'

/** torch.nn.Dropout: active only in training mode, scales kept values by 1/(1-p). */
export class Dropout extends Module {
  constructor(readonly p: number) {
    super()
    if (!(p >= 0 && p < 1)) throw new Error(`dropout probability must be in [0, 1), got ${p}`)
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x
    return tf.dropout(x, this.p)
  }
}

/**
 * Stochastic depth (timm DropPath): in training, zero a whole sample's residual branch with
 * probability p and scale survivors by 1/(1-p); identity in eval mode.
 */
export class DropPath extends Module {
  constructor(readonly p: number) {
    super()
    if (!(p >= 0 && p < 1)) throw new Error(`drop-path probability must be in [0, 1), got ${p}`)
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x
    const keep = 1 - this.p
    return tf.tidy(() => {
      const maskShape = [x.shape[0], ...Array(x.rank - 1).fill(1)]
      const mask = tf.floor(tf.add(tf.randomUniform(maskShape), keep))
      return tf.mul(x, tf.div(mask, keep))
    })
  }
}
