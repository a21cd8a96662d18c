import * as tf from '@tensorflow/tfjs'
import { createSeededRandom, type SeededRandom } from '../../engine/seededRandom'
import { Module, noiseSeed } from './module'

/**
 * Where a noise module draws each mask's seed: a stream seeded when the net was built with buildSeeded, so
 * a run's dropout and drop-path masks follow its seed (tfjs's unseeded random ops draw from Math.random,
 * which made cross teaching's Swin-UNet score differently on every rerun); unseeded outside buildSeeded.
 */
function maskSeeds(): SeededRandom | null {
  const seed = noiseSeed()
  return seed === undefined ? null : createSeededRandom(seed)
}

const MAX_TFJS_SEED = 2 ** 31 - 1

/** torch.nn.Dropout: active only in training mode, scales kept values by 1/(1-p). */
export class Dropout extends Module {
  private readonly seeds = maskSeeds()

  constructor(readonly p: number) {
    super()
    if (!(p >= 0 && p < 1)) throw new Error(`dropout probability must be in [0, 1), got ${p}`)
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x
    return tf.dropout(x, this.p, undefined, this.seeds?.nextInt(MAX_TFJS_SEED))
  }
}

/**
 * Stochastic depth (timm DropPath): in training, zero a whole sample's residual branch with
 * probability p and scale survivors by 1/(1-p); identity in eval mode.
 */
export class DropPath extends Module {
  private readonly seeds = maskSeeds()

  constructor(readonly p: number) {
    super()
    if (!(p >= 0 && p < 1)) throw new Error(`drop-path probability must be in [0, 1), got ${p}`)
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x
    const keep = 1 - this.p
    const seed = this.seeds?.nextInt(MAX_TFJS_SEED)
    return tf.tidy(() => {
      const maskShape = [x.shape[0], ...Array(x.rank - 1).fill(1)]
      const mask = tf.floor(tf.add(tf.randomUniform(maskShape, 0, 1, 'float32', seed), keep))
      return tf.mul(x, tf.div(mask, keep))
    })
  }
}
