import * as tf from '@tensorflow/tfjs'
import { Module, TensorSlot } from './module'
import { ones, zeros } from './init'
import { hasFusedLayerNorm, layerNormOp } from './layerNormOp'

/** torch.nn.LayerNorm over the last axis (biased variance, eps inside the square root). */
export class LayerNorm extends Module {
  readonly weight: TensorSlot
  readonly bias: TensorSlot

  constructor(
    readonly normalizedShape: number,
    readonly eps = 1e-5,
  ) {
    super()
    this.weight = this.addTensor('weight', [normalizedShape], ones)
    this.bias = this.addTensor('bias', [normalizedShape], zeros)
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.shape[x.rank - 1] !== this.normalizedShape) {
      throw new Error(`LayerNorm expects a last axis of ${this.normalizedShape}, got [${x.shape}]`)
    }
    // cpu and wasm: two kernels (layerNormKernels.ts); WebGPU and WebGL: tfjs ops.
    if (hasFusedLayerNorm()) return layerNormOp(x, this.weight.value, this.bias.value, this.eps)
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true)
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)))
      return tf.add(tf.mul(normed, this.weight.value), this.bias.value)
    })
  }
}
