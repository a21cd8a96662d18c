import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { LayerNorm } from '../nn/layerNorm'
import { Linear } from '../nn/linear'
import { Dropout, DropPath } from '../nn/dropout'
import { Lambda, Sequential } from '../nn/sequential'
import { truncNormal, zeros } from '../nn/init'
import { gelu } from '../vit/gelu'
import { ShiftedWindowAttention } from './shiftedWindowAttention'

/**
 * How a checkpoint names a block's MLP: torchvision's Sequential (`mlp.0`, `mlp.3`) or the
 * Microsoft/timm/Swin-UNet Mlp (`mlp.fc1`, `mlp.fc2`). The maths is the same.
 */
export type SwinMlpNames = 'torchvision' | 'fc'

export interface SwinBlockOptions {
  dim: number
  numHeads: number
  windowSize: number
  shiftSize: number
  mlpRatio: number
  dropout: number
  stochasticDepthProb: number
  layerNormEps: number
  mlpNames: SwinMlpNames
}

const linear = (i: number, o: number) => new Linear(i, o, { init: truncNormal(0.02), biasInit: zeros })

/** timm's Mlp: fc1, GELU, dropout, fc2, dropout. */
class FcMlp extends Module {
  readonly fc1: Linear
  readonly fc2: Linear
  readonly drop: Dropout

  constructor(dim: number, hidden: number, dropout: number) {
    super()
    this.fc1 = this.addModule('fc1', linear(dim, hidden))
    this.fc2 = this.addModule('fc2', linear(hidden, dim))
    this.drop = this.addModule('drop', new Dropout(dropout))
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.drop.forward(this.fc2.forward(this.drop.forward(gelu(this.fc1.forward(x))))))
  }
}

/** Swin v1 block (pre-norm): x + drop_path(attn(norm1(x))), then + drop_path(mlp(norm2(·))). NHWC in and out. */
export class SwinTransformerBlock extends Module {
  readonly norm1: LayerNorm
  readonly attn: ShiftedWindowAttention
  readonly stochasticDepth: DropPath
  readonly norm2: LayerNorm
  readonly mlp: Sequential | FcMlp

  constructor(o: SwinBlockOptions) {
    super()
    this.norm1 = this.addModule('norm1', new LayerNorm(o.dim, o.layerNormEps))
    this.attn = this.addModule(
      'attn',
      new ShiftedWindowAttention(o.dim, o.windowSize, o.shiftSize, o.numHeads),
    )
    this.stochasticDepth = this.addModule('stochastic_depth', new DropPath(o.stochasticDepthProb))
    this.norm2 = this.addModule('norm2', new LayerNorm(o.dim, o.layerNormEps))
    const hidden = Math.floor(o.dim * o.mlpRatio)
    this.mlp = this.addModule(
      'mlp',
      o.mlpNames === 'fc'
        ? new FcMlp(o.dim, hidden, o.dropout)
        : new Sequential([
            linear(o.dim, hidden),
            new Lambda(gelu),
            new Dropout(o.dropout),
            linear(hidden, o.dim),
            new Dropout(o.dropout),
          ]),
    )
  }

  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const y = tf.add(x, this.stochasticDepth.forward(this.attn.forward(this.norm1.forward(x))))
      return tf.add(y, this.stochasticDepth.forward(this.mlp.forward(this.norm2.forward(y)))) as tf.Tensor4D
    })
  }
}
