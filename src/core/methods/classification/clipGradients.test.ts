import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { clipEachGradient } from './clipGradients'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe("DINO's clip_gradients", () => {
  it('scales each gradient over the clip to norm clip, each by its own norm, and leaves the rest', () => {
    const over = tf.tensor2d([
      [3, 0],
      [0, 4],
    ]) // norm 5
    const under = tf.tensor1d([1.2, -1.6]) // norm 2: scaling by 1.5 would enlarge it
    const alsoOver = tf.tensor1d([0, 0, 12]) // norm 12
    const [a, b, c] = clipEachGradient([over, under, alsoOver], 3)
    const coef = 3 / (5 + 1e-6)
    const clipped = a.dataSync()
    ;[3 * coef, 0, 0, 4 * coef].forEach((v, i) => expect(clipped[i]).toBeCloseTo(v, 6))
    expect(a.shape).toEqual([2, 2])
    expect(Array.from(b.dataSync())).toEqual(Array.from(Float32Array.of(1.2, -1.6)))
    expect(c.dataSync()[2]).toBeCloseTo(3, 5)
    // New tensors: disposing the inputs leaves the results readable.
    expect(b).not.toBe(under)
    tf.dispose([over, under, alsoOver])
    expect(b.dataSync()[0]).toBeCloseTo(1.2, 6)
    tf.dispose([a, b, c])
  })

  it('leaves a zero gradient at zero', () => {
    const [z] = clipEachGradient([tf.zeros([4])], 1)
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0, 0])
  })
})
