// The Euclidean norm and F.normalize: values by hand, gradients against a second implementation (tf.norm's
// own autodiff, where the norm is not 0) and against the closed form, and torch's zero gradient at a zero norm.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../engine/seededRandom'
import { euclideanNorm, l2Normalize } from './euclideanNorm'

function seeded(shape: number[], seed: number): tf.Tensor {
  const random = createSeededRandom(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  return tf.tensor(
    Float32Array.from({ length: n }, () => random.normal()),
    shape,
  )
}

const close = (a: tf.Tensor, b: tf.Tensor, tolerance = 1e-5) => {
  expect(a.shape).toEqual(b.shape)
  const x = a.dataSync()
  const y = b.dataSync()
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(tolerance)
}

describe('euclideanNorm', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('is √Σx² along the axis, over everything without one', () => {
    const x = tf.tensor2d([
      [3, 4, 0],
      [0, 0, 0],
      [1, -2, 2],
    ])
    expect(Array.from(euclideanNorm(x, -1).dataSync())).toEqual([5, 0, 3])
    expect(euclideanNorm(x, 1, true).shape).toEqual([3, 1])
    close(euclideanNorm(x, 0), tf.tensor1d([Math.sqrt(10), Math.sqrt(20), 2]))
    expect(euclideanNorm(x, 0, true).shape).toEqual([1, 3])
    const all = euclideanNorm(x)
    expect(all.shape).toEqual([])
    expect(all.dataSync()[0]).toBeCloseTo(Math.sqrt(25 + 9), 5)
  })

  it.each([
    { shape: [7, 5], axis: 0 },
    { shape: [7, 5], axis: -1 },
    { shape: [3, 5, 6, 2], axis: 3 },
    { shape: [3, 5, 6, 2], axis: 1 },
    { shape: [9, 11], axis: undefined },
  ])('has tf.norm’s value and gradient on $shape along $axis', ({ shape, axis }) => {
    const x = seeded(shape, shape.length * 10 + (axis ?? 9))
    for (const keep of [false, true]) {
      const reference = tf.norm(x, 'euclidean', axis, keep)
      const ours = euclideanNorm(x, axis, keep)
      close(ours, reference)
      // A weighted sum, so each output's gradient differs.
      const w = seeded(reference.shape, 99)
      const grad = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), w)))(x)
      close(
        grad((t) => euclideanNorm(t, axis, keep)),
        grad((t) => tf.norm(t, 'euclidean', axis, keep)),
      )
    }
  })

  it('has torch’s zero gradient where the norm is 0 (tf.norm gives NaN)', () => {
    const x = tf.tensor2d([
      [0, 0],
      [3, 4],
    ])
    const g = tf.grad((t: tf.Tensor) => tf.sum(euclideanNorm(t, -1)))(x)
    close(
      g,
      tf.tensor2d([
        [0, 0],
        [0.6, 0.8],
      ]),
    )
    const theirs = tf.grad((t: tf.Tensor) => tf.sum(tf.norm(t, 'euclidean', -1)))(x)
    expect(Number.isNaN(theirs.dataSync()[0])).toBe(true)
  })
})

describe('l2Normalize', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('scales each row to length 1 and leaves a zero row at 0, as F.normalize', () => {
    const x = tf.tensor2d([
      [3, 4],
      [0, 0],
      [-1e-13, 0],
    ])
    // The last row's norm is under eps = 1e-12: divided by eps, not by its norm.
    close(
      l2Normalize(x),
      tf.tensor2d([
        [0.6, 0.8],
        [0, 0],
        [-0.1, 0],
      ]),
      1e-6,
    )
  })

  it('has the gradient (w − (w·u)u)/‖x‖, and 0 for a zero row', () => {
    const x = seeded([4, 6], 5)
    const w = seeded([4, 6], 6)
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(l2Normalize(t), w)))(x)
    const expected = tf.tidy(() => {
      const norm = tf.sqrt(tf.sum(tf.square(x), -1, true))
      const u = tf.div(x, norm)
      return tf.div(tf.sub(w, tf.mul(tf.sum(tf.mul(w, u), -1, true), u)), norm)
    })
    close(ours, expected)
    const zero = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(l2Normalize(t), w)))(tf.zeros([4, 6]))
    // Torch: the row divided by eps, so its gradient is w / eps, finite.
    const values = zero.dataSync()
    expect(values.every(Number.isFinite)).toBe(true)
    close(tf.mul(zero, 1e-12), w)
  })

  it('normalises along the axis it is given, the last by default', () => {
    const x = tf.tensor3d([[[3], [4]]])
    close(l2Normalize(x, 1), tf.tensor3d([[[0.6], [0.8]]]))
    close(l2Normalize(tf.tensor3d([[[3, 4]]])), tf.tensor3d([[[0.6, 0.8]]]))
  })
})
