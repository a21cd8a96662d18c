import * as tf from '@tensorflow/tfjs'
import { Module, TensorSlot } from './module'
import { torchDefault } from './init'
import type { Initializer } from './module'

export interface LinearOptions {
  bias?: boolean
  /** Weight init; defaults to torch's U(±1/√in). */
  init?: Initializer
  biasInit?: Initializer
}

/** torch.nn.Linear over the last axis of any rank ≥ 2 input; weight stored [in, out]. */
export class Linear extends Module {
  readonly weight: TensorSlot
  readonly bias: TensorSlot | null

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super()
    this.weight = this.addTensor(
      'weight',
      [inFeatures, outFeatures],
      options.init ?? torchDefault(inFeatures),
      {
        layout: 'linear',
      },
    )
    this.bias =
      (options.bias ?? true)
        ? this.addTensor('bias', [outFeatures], options.biasInit ?? torchDefault(inFeatures))
        : null
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank < 2 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new Error(`Linear expects a last axis of ${this.inFeatures}, got [${x.shape}]`)
    }
    return tf.tidy(() => {
      const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, this.inFeatures]) as tf.Tensor2D)
      let y: tf.Tensor = tf.matMul(flat, this.weight.value as tf.Tensor2D)
      if (this.bias) y = tf.add(y, this.bias.value)
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures])
    })
  }
}
