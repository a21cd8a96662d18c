import * as tf from '@tensorflow/tfjs'
import { Module, TensorSlot } from '../nn/module'
import { Linear } from '../nn/linear'
import { torchDefault, xavierUniform, zeros } from '../nn/init'

/**
 * torch.nn.MultiheadAttention as torchvision's ViT uses it (self-attention, batch first, no
 * attention dropout): one packed `in_proj_weight` for q, k and v, then `out_proj`.
 * Tensors are [batch, tokens, width].
 */
export class MultiheadAttention extends Module {
  readonly inProjWeight: TensorSlot
  readonly inProjBias: TensorSlot
  readonly outProj: Linear
  readonly headDim: number

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
  ) {
    super()
    if (embedDim % numHeads !== 0) throw new Error(`width ${embedDim} is not divisible by ${numHeads} heads`)
    this.headDim = embedDim / numHeads
    // torch packs q, k, v as rows of a [3·D, D] matrix; in tfjs layout that is [D, 3·D] with q, k, v as column blocks.
    this.inProjWeight = this.addTensor(
      'in_proj_weight',
      [embedDim, 3 * embedDim],
      xavierUniform(embedDim, 3 * embedDim),
      {
        layout: 'linear',
      },
    )
    this.inProjBias = this.addTensor('in_proj_bias', [3 * embedDim], zeros)
    this.outProj = this.addModule(
      'out_proj',
      new Linear(embedDim, embedDim, { init: torchDefault(embedDim), biasInit: zeros }),
    )
  }

  forward(x: tf.Tensor): tf.Tensor3D {
    const [b, n, d] = x.shape
    if (x.rank !== 3 || d !== this.embedDim) {
      throw new Error(`MultiheadAttention expects [batch, tokens, ${this.embedDim}], got [${x.shape}]`)
    }
    return tf.tidy(() => {
      const flat = tf.reshape(x, [b * n, d]) as tf.Tensor2D
      const qkv = tf.add(tf.matMul(flat, this.inProjWeight.value as tf.Tensor2D), this.inProjBias.value)
      const heads = tf.transpose(tf.reshape(qkv, [b, n, 3, this.numHeads, this.headDim]), [2, 0, 3, 1, 4])
      const [q, k, v] = tf
        .unstack(heads)
        .map((t) => tf.reshape(t, [b * this.numHeads, n, this.headDim]) as tf.Tensor3D)
      const scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(this.headDim)), k, false, true)
      const mixed = tf.matMul(tf.softmax(scores), v)
      const merged = tf.reshape(
        tf.transpose(tf.reshape(mixed, [b, this.numHeads, n, this.headDim]), [0, 2, 1, 3]),
        [b, n, d],
      )
      return this.outProj.forward(merged) as tf.Tensor3D
    })
  }
}
