import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { LayerNorm } from '../nn/layerNorm'
import { Linear } from '../nn/linear'
import { truncNormal } from '../nn/init'

/**
 * Swin patch merging: each 2×2 cell group becomes one cell of 4·C channels, ordered
 * (top-left, bottom-left, top-right, bottom-right) as torchvision and Swin-UNet do, then LayerNorm and
 * a bias-free linear to 2·C. An odd side is zero-padded first. NHWC [B, H, W, C] → [B, ⌈H/2⌉, ⌈W/2⌉, 2C].
 */
export class PatchMerging extends Module {
  readonly reduction: Linear
  readonly norm: LayerNorm

  constructor(
    readonly dim: number,
    layerNormEps = 1e-5,
  ) {
    super()
    this.reduction = this.addModule(
      'reduction',
      new Linear(4 * dim, 2 * dim, { bias: false, init: truncNormal(0.02) }),
    )
    this.norm = this.addModule('norm', new LayerNorm(4 * dim, layerNormEps))
  }

  forward(x: tf.Tensor): tf.Tensor4D {
    if (x.rank !== 4 || x.shape[3] !== this.dim) {
      throw new Error(`PatchMerging expects NHWC input with ${this.dim} channels, got [${x.shape}]`)
    }
    const [b, h, w, c] = x.shape
    return tf.tidy(() => {
      const padded =
        h % 2 || w % 2
          ? tf.pad(x, [
              [0, 0],
              [0, h % 2],
              [0, w % 2],
              [0, 0],
            ])
          : x
      const h2 = (h + (h % 2)) / 2
      const w2 = (w + (w % 2)) / 2
      // [B, h2, row parity, w2, col parity, C] → [B, h2, w2, col parity, row parity, C]: channel block = 2·col + row.
      const grouped = tf.transpose(tf.reshape(padded, [b, h2, 2, w2, 2, c]), [0, 1, 3, 4, 2, 5])
      const merged = tf.reshape(grouped, [b, h2, w2, 4 * c])
      return this.reduction.forward(this.norm.forward(merged)) as tf.Tensor4D
    })
  }
}
