import * as tf from '@tensorflow/tfjs'
import { Module, TensorSlot } from './module'
import { ones, zeros } from './init'
import { batchNormTrainOp, hasFusedBatchNorm } from './batchNormTrainOp'

/**
 * torch.nn.BatchNorm2d on NHWC tensors. Training mode normalises with the batch statistics (biased
 * variance) and updates the running estimates with momentum 0.1 and the unbiased variance, as torch
 * does; eval mode uses the running estimates. `num_batches_tracked` is not kept (torch only needs it
 * when momentum is None); the weight loader skips it.
 */
export class BatchNorm2d extends Module {
  /** Use the fused kernels of batchNormTrainOp where the backend has them (cpu, wasm); tests switch it off to check the tf-ops path. */
  static fused = true
  readonly weight: TensorSlot
  readonly bias: TensorSlot
  readonly runningMean: TensorSlot
  readonly runningVar: TensorSlot

  constructor(
    readonly numFeatures: number,
    readonly eps = 1e-5,
    readonly momentum = 0.1,
  ) {
    super()
    this.weight = this.addTensor('weight', [numFeatures], ones)
    this.bias = this.addTensor('bias', [numFeatures], zeros)
    this.runningMean = this.addTensor('running_mean', [numFeatures], zeros, { kind: 'buffer' })
    this.runningVar = this.addTensor('running_var', [numFeatures], ones, { kind: 'buffer' })
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.shape[x.rank - 1] !== this.numFeatures) {
      throw new Error(`BatchNorm2d expects ${this.numFeatures} channels (last axis), got [${x.shape}]`)
    }
    if (!this.training) {
      return tf.tidy(() => {
        // Fold into one scale and shift: two broadcast ops instead of four.
        const scale = tf.mul(this.weight.value, tf.rsqrt(tf.add(this.runningVar.value, this.eps)))
        const shift = tf.sub(this.bias.value, tf.mul(this.runningMean.value, scale))
        return tf.add(tf.mul(x, scale), shift)
      })
    }
    const axes = [...Array(x.rank - 1).keys()]
    const count = x.size / this.numFeatures
    if (count < 2)
      throw new Error(`BatchNorm2d in training needs more than one value per channel, got [${x.shape}]`)
    const m = this.momentum
    if (BatchNorm2d.fused && hasFusedBatchNorm()) {
      const { y, mean, variance } = batchNormTrainOp(x, this.weight.value, this.bias.value, this.eps)
      tf.tidy(() => {
        this.runningMean.assign(tf.add(tf.mul(this.runningMean.value, 1 - m), tf.mul(mean, m)))
        this.runningVar.assign(
          tf.add(tf.mul(this.runningVar.value, 1 - m), tf.mul(variance, (m * count) / (count - 1))),
        )
      })
      tf.dispose([mean, variance])
      return y
    }
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes)
      // y = x·scale + shift with per-channel scale and shift: two full-size ops forward (and few
      // backward) instead of four; autodiff still carries the gradient through mean and variance.
      const scale = tf.mul(this.weight.value, tf.rsqrt(tf.add(variance, this.eps)))
      const y = tf.add(tf.mul(x, scale), tf.sub(this.bias.value, tf.mul(mean, scale)))
      // Assigning is invisible to the gradient tape, so the running estimates never get gradients.
      const unbiasedVar = tf.mul(variance, count / (count - 1))
      this.runningMean.assign(tf.add(tf.mul(this.runningMean.value, 1 - m), tf.mul(mean, m)))
      this.runningVar.assign(tf.add(tf.mul(this.runningVar.value, 1 - m), tf.mul(unbiasedVar, m)))
      return y
    })
  }
}
