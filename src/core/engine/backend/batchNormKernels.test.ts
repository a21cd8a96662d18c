// The fused batch-norm kernels (cpu and wasm) against the same maths as plain tfjs ops with autodiff on the
// cpu backend, on odd shapes: output, batch statistics and the gradients of input, weight and bias.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { normalisationInputs, seededValues } from './fixtures/normalisationInputs'
import {
  BatchNormTrain,
  BatchNormTrainGrad,
  batchNormForwardChannels,
  registerBatchNormKernels,
} from './batchNormKernels'
import { useWasmBackend } from './wasmBackend'

const eps = 1e-5

interface Result {
  y: Float32Array
  mean: Float32Array
  variance: Float32Array
  dx: Float32Array
  dw: Float32Array
  db: Float32Array
}

/** Reference: moments and broadcasts as tfjs ops, gradients by autodiff (the non-fused BatchNorm2d path). */
function byOps(shape: number[]): Result {
  const { x, w, b, dy } = normalisationInputs(shape)
  const axes = shape.slice(0, -1).map((_, i) => i)
  const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => {
    const { mean, variance } = tf.moments(xs, axes)
    return tf.add(tf.mul(tf.div(tf.sub(xs, mean), tf.sqrt(tf.add(variance, eps))), ws), bs)
  }
  const y = f(x, w, b)
  const { mean, variance } = tf.moments(x, axes)
  const [dx, dw, db] = tf.grads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
    tf.sum(tf.mul(f(xs, ws, bs), dy)),
  )([x, w, b])
  const out = [y, mean, variance, dx, dw, db].map((t) => t.dataSync() as Float32Array)
  tf.dispose([x, w, b, dy, y, mean, variance, dx, dw, db])
  return { y: out[0], mean: out[1], variance: out[2], dx: out[3], dw: out[4], db: out[5] }
}

function byKernels(shape: number[]): Result {
  const { x, w, b, dy } = normalisationInputs(shape)
  const before = tf.memory().numTensors
  const [y, mean, variance] = tf
    .engine()
    .runKernel(BatchNormTrain, { x, weight: w, bias: b }, { eps }) as tf.Tensor[]
  const [dx, dw, db] = tf
    .engine()
    .runKernel(BatchNormTrainGrad, { dy, x, mean, variance, weight: w }, { eps }) as tf.Tensor[]
  const out = [y, mean, variance, dx, dw, db].map((t) => t.dataSync() as Float32Array)
  tf.dispose([y, mean, variance, dx, dw, db])
  expect(tf.memory().numTensors).toBe(before)
  tf.dispose([x, w, b, dy])
  return { y: out[0], mean: out[1], variance: out[2], dx: out[3], dw: out[4], db: out[5] }
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length)
  const scale = Math.max(...Array.from(expected, Math.abs))
  expect(scale).toBeGreaterThan(0)
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
  expect(worst / scale).toBeLessThan(tolerance)
}

const shapes = [
  [2, 5, 7, 3],
  [1, 3, 3, 17],
  [3, 1, 1, 2],
  [4, 6, 5, 64],
  [9, 13],
]

describe('fused batch-norm kernels match tfjs ops with autodiff', () => {
  beforeAll(async () => {
    await useWasmBackend()
    registerBatchNormKernels('cpu')
  })

  it.each(shapes)('shape %j on cpu and wasm', async (...shape) => {
    await tf.setBackend('cpu')
    const reference = byOps(shape)
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend)
      const fused = byKernels(shape)
      for (const key of Object.keys(reference) as (keyof Result)[]) {
        expectClose(fused[key], reference[key], 2e-5)
      }
    }
  })

  // Channels in whole vectors go through the WebAssembly passes on wasm: the JavaScript kernels' arithmetic,
  // so the cpu kernels' bits; others through JavaScript.
  it.each([
    [3, 5, 7, 12],
    [4, 6, 5, 64],
    [7, 4],
  ])('on wasm, shape %j has the bits of the cpu kernels', async (...shape) => {
    await tf.setBackend('cpu')
    const cpu = byKernels(shape)
    await tf.setBackend('wasm')
    expect(byKernels(shape)).toEqual(cpu)
  })

  it('keeps the variance of activations far from zero (one-pass sums in float64)', () => {
    // Mean 1000, standard deviation about 3.5: Σx²/n − μ² cancels 5 of its digits, float64 has 16.
    const c = 3
    const x = seededValues(4000 * c, 5, 1000)
    const y = new Float32Array(x.length)
    const mean = new Float32Array(c)
    const variance = new Float32Array(c)
    batchNormForwardChannels([x, new Float32Array(c).fill(1), new Float32Array(c), y, mean, variance], [eps])
    for (let k = 0; k < c; k++) {
      const xs = Array.from({ length: 4000 }, (_, i) => x[i * c + k])
      const mu = xs.reduce((a, v) => a + v, 0) / xs.length
      const v = xs.reduce((a, xi) => a + (xi - mu) ** 2, 0) / xs.length
      expect(Math.abs(variance[k] - v) / v).toBeLessThan(1e-5)
      expect(Math.abs(y[k] - (x[k] - mu) / Math.sqrt(v + eps))).toBeLessThan(1e-3)
    }
  })

  it('fails the comparison when the gradient drops the mean term (the check can fail)', async () => {
    await tf.setBackend('cpu')
    const reference = byOps([2, 5, 7, 3])
    const wrong = byKernels([2, 5, 7, 3])
    // Breaking dx by the db/n term it should subtract must be caught at this tolerance.
    const n = 2 * 5 * 7
    const broken = wrong.dx.map((v, i) => v + (wrong.db[i % 3] / n) * 0.5)
    expect(() => expectClose(broken, reference.dx, 2e-5)).toThrow()
  })
})
