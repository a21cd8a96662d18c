import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { cassLoss } from './cassLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('cassLoss', () => {
  it('is 2 − 2·cos per image, averaged, hand-computed', () => {
    // Rows: same direction (cos 1 → 0), opposite (cos −1 → 4), orthogonal (cos 0 → 2),
    // 60° apart at different lengths (cos ½ → 1).
    const cnn = tf.tensor2d([
      [1, 0],
      [0, 2],
      [3, 0],
      [2, 0],
    ])
    const vit = tf.tensor2d([
      [5, 0],
      [0, -1],
      [0, 7],
      [0.5, Math.sqrt(3) / 2],
    ])
    expect(cassLoss(cnn, vit).arraySync()).toBeCloseTo((0 + 4 + 2 + 1) / 4, 5)
  })

  it('ignores scale, is symmetric, and sends gradient into both networks', () => {
    const a = tf.randomNormal([4, 6], 0, 1, 'float32', 1) as tf.Tensor2D
    const b = tf.randomNormal([4, 6], 0, 1, 'float32', 2) as tf.Tensor2D
    const l = cassLoss(a, b).arraySync()
    expect(cassLoss(tf.mul(a, 7) as tf.Tensor2D, b).arraySync()).toBeCloseTo(l, 5)
    expect(cassLoss(b, a).arraySync()).toBeCloseTo(l, 5)
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => cassLoss(x as tf.Tensor2D, y as tf.Tensor2D))([
      a,
      b,
    ])
    expect(tf.max(tf.abs(ga)).arraySync()).toBeGreaterThan(0)
    expect(tf.max(tf.abs(gb)).arraySync()).toBeGreaterThan(0)
  })

  it('rejects outputs of different shapes', () => {
    expect(() => cassLoss(tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(/cassLoss/)
    // Both [D]: the same shape, but not images × outputs.
    const flat = tf.zeros([3]) as unknown as tf.Tensor2D
    expect(() => cassLoss(flat, flat)).toThrow(/must both be \[B, D\], got \[3\] and \[3\]/)
    flat.dispose()
  })
})
