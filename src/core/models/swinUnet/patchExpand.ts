import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { LayerNorm } from '../nn/layerNorm'
import { Linear } from '../nn/linear'
import { truncNormal } from '../nn/init'

/**
 * Swin-UNet's patch expanding (Cao et al.): a bias-free linear to scale²·outDim channels, whose
 * channel groups become a scale×scale block of cells (einops `b h w (p1 p2 c) -> b (h p1) (w p2) c`),
 * then LayerNorm. The decoder's PatchExpand is scale 2 with half the width; the final expansion
 * (FinalPatchExpand_X4 for 4-px patches) is scale = patch size with the width kept.
 * NHWC [B, H, W, dim] → [B, H·scale, W·scale, outDim].
 */
export class PatchExpand extends Module {
  readonly expand: Linear
  readonly norm: LayerNorm

  constructor(
    readonly dim: number,
    readonly scale: number,
    readonly outDim: number,
    layerNormEps = 1e-5,
  ) {
    super()
    if (!Number.isInteger(outDim) || outDim <= 0)
      throw new Error(`PatchExpand needs a positive output width, got ${outDim}`)
    this.expand = this.addModule(
      'expand',
      new Linear(dim, this.outDim * scale * scale, { bias: false, init: truncNormal(0.02) }),
    )
    this.norm = this.addModule('norm', new LayerNorm(this.outDim, layerNormEps))
  }

  forward(x: tf.Tensor): tf.Tensor4D {
    if (x.rank !== 4 || x.shape[3] !== this.dim) {
      throw new Error(`PatchExpand expects NHWC input with ${this.dim} channels, got [${x.shape}]`)
    }
    const [b, h, w] = x.shape
    const s = this.scale
    return tf.tidy(() => {
      const wide = tf.reshape(this.expand.forward(x), [b, h, w, s, s, this.outDim])
      const spread = tf.reshape(tf.transpose(wide, [0, 1, 3, 2, 4, 5]), [b, h * s, w * s, this.outDim])
      return this.norm.forward(spread) as tf.Tensor4D
    })
  }
}
