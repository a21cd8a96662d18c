import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { LayerNorm } from '../nn/layerNorm'
import { Linear } from '../nn/linear'
import { Dropout, DropPath } from '../nn/dropout'
import { Lambda, Sequential } from '../nn/sequential'
import { normal, xavierUniform } from '../nn/init'
import { MultiheadAttention } from './multiheadAttention'
import { gelu } from './gelu'

export interface EncoderBlockOptions {
  numHeads: number
  hiddenDim: number
  mlpDim: number
  dropout: number
  /** Stochastic depth on both residual branches (timm/DINO ViTs); torchvision's ViT has none (0). */
  dropPath: number
  layerNormEps: number
}

/** torchvision's MLPBlock: Linear, GELU, Dropout, Linear, Dropout, so its linears are `mlp.0` and `mlp.3`. */
export function mlpBlock(inDim: number, hiddenDim: number, dropout: number): Sequential {
  const linear = (i: number, o: number) =>
    new Linear(i, o, { init: xavierUniform(i, o), biasInit: normal(1e-6) })
  return new Sequential([
    linear(inDim, hiddenDim),
    new Lambda(gelu),
    new Dropout(dropout),
    linear(hiddenDim, inDim),
    new Dropout(dropout),
  ])
}

/** torchvision's ViT EncoderBlock (pre-norm): x + attn(ln_1(x)), then + mlp(ln_2(·)). Tokens [B, S, D]. */
export class EncoderBlock extends Module {
  readonly ln1: LayerNorm
  readonly selfAttention: MultiheadAttention
  readonly dropout: Dropout
  readonly ln2: LayerNorm
  readonly mlp: Sequential
  readonly dropPath: DropPath

  constructor(options: EncoderBlockOptions) {
    super()
    this.ln1 = this.addModule('ln_1', new LayerNorm(options.hiddenDim, options.layerNormEps))
    this.selfAttention = this.addModule(
      'self_attention',
      new MultiheadAttention(options.hiddenDim, options.numHeads),
    )
    this.dropout = this.addModule('dropout', new Dropout(options.dropout))
    this.ln2 = this.addModule('ln_2', new LayerNorm(options.hiddenDim, options.layerNormEps))
    this.mlp = this.addModule('mlp', mlpBlock(options.hiddenDim, options.mlpDim, options.dropout))
    this.dropPath = this.addModule('drop_path', new DropPath(options.dropPath))
  }

  forward(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const attended = this.dropout.forward(this.selfAttention.forward(this.ln1.forward(x)))
      const y = tf.add(x, this.dropPath.forward(attended))
      return tf.add(y, this.dropPath.forward(this.mlp.forward(this.ln2.forward(y)))) as tf.Tensor3D
    })
  }
}
