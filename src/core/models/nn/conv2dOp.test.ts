import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { conv2dOp, filterGradientLoop } from './conv2dOp'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])

describe('conv2dOp', () => {
  it('computes a hand-checked 2×2 convolution with padding', () => {
    // x = [[1, 2], [3, 4]], 2×2 kernel of ones, padding 1, stride 1 → 3×3 of partial sums
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])
    const w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D
    expect(Array.from(conv2dOp(x, w, 1, 1).dataSync())).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4])
  })

  it.each([
    [3, 1, 1],
    [3, 2, 1],
    [7, 2, 3],
    [1, 2, 0],
    [1, 1, 0],
  ])('filter gradient (kernel %i, stride %i, pad %i) equals tfjs’ own', (k, stride, pad) => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 9, 7, 3], 0, 1, 'float32', 1) as tf.Tensor4D
      const w = tf.randomNormal([k, k, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D
      const y = tf.conv2d(x, w, stride, pad)
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as tf.Tensor4D
      const loss = (f: typeof conv2dOp) => (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy))
      const [dxRef, dwRef] = tf.grads(loss((a, b, s, p) => tf.conv2d(a, b, s, p)))([x, w])
      const [dx, dw] = tf.grads(loss(conv2dOp))([x, w])
      const scale = tf.max(tf.abs(dwRef)).dataSync()[0]
      expect(maxDiff(dx, dxRef)).toBeLessThan(1e-4)
      expect(maxDiff(dw, dwRef) / scale).toBeLessThan(1e-5)
      expect(maxDiff(filterGradientLoop(x, dy, w.shape, stride, pad), dwRef) / scale).toBeLessThan(1e-5)
    })
  })
})
