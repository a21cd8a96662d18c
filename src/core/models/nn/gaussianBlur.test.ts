import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { gaussianBlur } from './gaussianBlur'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('gaussianBlur', () => {
  it('blurs with a normalised Gaussian: constants stay, an impulse spreads by σ', () => {
    const flat = tf.fill([1, 9, 9, 3], 0.7) as tf.Tensor4D
    expect(tf.max(tf.abs(tf.sub(gaussianBlur(flat, 1.5), 0.7))).arraySync()).toBeLessThan(1e-6)
    const impulse = tf.buffer([1, 15, 15, 1])
    impulse.set(1, 0, 7, 7, 0)
    const b = (gaussianBlur(impulse.toTensor() as tf.Tensor4D, 1).arraySync() as number[][][][])[0]
    const g = (d: number) => Math.exp(-(d * d) / 2)
    const norm = [-3, -2, -1, 0, 1, 2, 3].reduce((a, d) => a + g(d), 0)
    expect(b[7][7][0]).toBeCloseTo(1 / norm ** 2, 6)
    expect(b[7][8][0]).toBeCloseTo(g(1) / norm ** 2, 6)
    // Radius ⌈3σ⌉ = 3: nothing reaches 4 pixels away.
    expect(b[7][11][0]).toBe(0)
  })

  it('caps the radius: at most maxRadius taps either side', () => {
    const impulse = tf.buffer([1, 15, 15, 1])
    impulse.set(1, 0, 7, 7, 0)
    const b = (gaussianBlur(impulse.toTensor() as tf.Tensor4D, 2, 1).arraySync() as number[][][][])[0]
    const g = (d: number) => Math.exp(-(d * d) / 8)
    const norm = g(-1) + g(0) + g(1)
    expect(b[7][7][0]).toBeCloseTo(1 / norm ** 2, 6)
    expect(b[7][9][0]).toBe(0)
  })

  it('keeps the mean of a pattern and flattens its peaks', () => {
    const stripes = tf.tile(tf.tensor4d([0, 1], [1, 1, 2, 1]), [1, 12, 6, 3]) as tf.Tensor4D
    const blurred = gaussianBlur(stripes, 1, 16)
    expect(tf.mean(blurred).arraySync()).toBeCloseTo(0.5, 4)
    expect(tf.max(blurred).arraySync()).toBeLessThan(0.9)
  })
})
