import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BatchNorm2d } from './batchNorm2d'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe.each([
  ['fused loops (CPU backend)', true],
  ['tfjs ops (other backends)', false],
])('BatchNorm2d, %s', (_, fused) => {
  beforeAll(() => {
    BatchNorm2d.fused = fused
  })
  afterAll(() => {
    BatchNorm2d.fused = true
  })

  // One channel over N=2, H=1, W=2: values 1, 2, 3, 6 → mean 3, biased var 3.5, unbiased 14/3.
  const x = () => tf.tensor4d([1, 2, 3, 6], [2, 1, 2, 1])

  it('normalises with batch statistics in training and updates running stats like torch', () => {
    const bn = new BatchNorm2d(1)
    bn.weight.assign(tf.tensor1d([2]))
    bn.bias.assign(tf.tensor1d([0.5]))
    const y = Array.from(bn.forward(x()).dataSync())
    const expected = [1, 2, 3, 6].map((v) => (2 * (v - 3)) / Math.sqrt(3.5 + 1e-5) + 0.5)
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5))
    expect(bn.runningMean.value.dataSync()[0]).toBeCloseTo(0.1 * 3, 6)
    expect(bn.runningVar.value.dataSync()[0]).toBeCloseTo(0.9 + (0.1 * 14) / 3, 6)
    bn.dispose()
  })

  it('uses the running statistics in eval mode', () => {
    const bn = new BatchNorm2d(1).eval()
    bn.runningMean.assign(tf.tensor1d([1]))
    bn.runningVar.assign(tf.tensor1d([4]))
    const y = Array.from(bn.forward(x()).dataSync())
    const expected = [1, 2, 3, 6].map((v) => (v - 1) / Math.sqrt(4 + 1e-5))
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5))
    expect(bn.runningMean.value.dataSync()[0]).toBe(1)
    bn.dispose()
  })

  it('gives no gradient to running statistics and the textbook gradient to its input', () => {
    const bn = new BatchNorm2d(1)
    const input = x()
    // d/dx sum(y·r) for y = (x − μ)/σ: (r − mean(r) − x̂·mean(r·x̂)) / σ
    const r = [1, -1, 2, 0.5]
    const grads = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(bn.forward(t), tf.tensor4d(r, [2, 1, 2, 1]))))([
      input,
    ])
    const sigma = Math.sqrt(3.5 + 1e-5)
    const xhat = [1, 2, 3, 6].map((v) => (v - 3) / sigma)
    const meanR = r.reduce((a, b) => a + b) / 4
    const meanRX = r.reduce((a, v, i) => a + v * xhat[i], 0) / 4
    const expected = r.map((v, i) => (v - meanR - xhat[i] * meanRX) / sigma)
    Array.from(grads[0].dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5))
    expect(bn.parameters()).toHaveLength(2)
    bn.dispose()
  })

  it('refuses a batch with one value per channel in training, like torch', () => {
    const bn = new BatchNorm2d(2)
    expect(() => bn.forward(tf.zeros([1, 1, 1, 2]))).toThrow(/more than one value per channel/)
    expect(() => bn.forward(tf.zeros([1, 2, 2, 3]))).toThrow(/expects 2 channels/)
    bn.dispose()
  })
})
