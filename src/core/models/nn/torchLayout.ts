import * as tf from '@tensorflow/tfjs'

/**
 * How a tensor's tfjs layout differs from its torch layout. The conversion happens only at the
 * weight-file boundary; inside the app every tensor stays in the layout tfjs kernels want.
 *  - identity: same layout (biases, norms, embeddings, tables)
 *  - conv2d:   tfjs HWIO [kh, kw, in, out]  <->  torch OIHW [out, in, kh, kw]
 *  - linear:   tfjs [in, out]               <->  torch [out, in]
 */
export type TorchLayout = 'identity' | 'conv2d' | 'linear'

const toTorchPerm: Record<TorchLayout, number[] | null> = {
  identity: null,
  conv2d: [3, 2, 0, 1],
  linear: [1, 0],
}
const fromTorchPerm: Record<TorchLayout, number[] | null> = {
  identity: null,
  conv2d: [2, 3, 1, 0],
  linear: [1, 0],
}

export function torchShapeOf(shape: readonly number[], layout: TorchLayout): number[] {
  const perm = toTorchPerm[layout]
  if (!perm) return [...shape]
  if (shape.length !== perm.length)
    throw new Error(`a ${layout} tensor needs rank ${perm.length}, got [${shape}]`)
  return perm.map((i) => shape[i])
}

export function toTorchLayout(t: tf.Tensor, layout: TorchLayout): tf.Tensor {
  const perm = toTorchPerm[layout]
  return perm ? tf.transpose(t, perm) : t.clone()
}

export function fromTorchLayout(t: tf.Tensor, layout: TorchLayout): tf.Tensor {
  const perm = fromTorchPerm[layout]
  return perm ? tf.transpose(t, perm) : t.clone()
}
