import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { accumulateGradients, microBatchSlices, sliceViewMajor } from './gradientAccumulation'
import { bufferPeak } from './bufferPeak'
import type { OptimizerSettings } from './optimizerConfig'
import { createOptimizer } from './trainingOptimizer'
import { createSeededRandom } from './seededRandom'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const B = 7
const random = createSeededRandom(5)
const data = (shape: number[]) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal())
const x = tf.tensor4d(data([B, 4, 4, 2]), [B, 4, 4, 2])
const y = tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0, 2, 2], 'int32'), 3)

/**
 * A tiny net: 3×3 conv → (optional) BatchNorm in training mode, i.e. normalised with the statistics of the
 * batch it is given → ReLU → global mean → dense 3; softmax cross-entropy averaged over the samples.
 */
function tinyNet(seed: number) {
  const r = createSeededRandom(seed)
  const v = (shape: number[], name: string) =>
    tf.variable(
      tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 0.5 * r.normal()),
        shape,
      ),
      true,
      `${name}${seed}_${Math.random()}`,
    )
  const w = v([3, 3, 2, 4], 'w')
  const gamma = v([4], 'g')
  const dense = v([4, 3], 'd')
  const bias = v([3], 'b')
  const variables = [w, gamma, dense, bias]
  // What the loss reaches without BatchNorm (gamma is BatchNorm's scale).
  const plain = [w, dense, bias]
  const loss = (xs: tf.Tensor4D, ys: tf.Tensor, batchNorm: boolean) =>
    tf.tidy(() => {
      let h: tf.Tensor4D = tf.conv2d(xs, w as tf.Tensor4D, 1, 'same')
      if (batchNorm) {
        const { mean, variance } = tf.moments(h, [0, 1, 2])
        h = tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma)
      }
      const pooled = tf.mean(tf.relu(h), [1, 2])
      return tf.losses.softmaxCrossEntropy(ys, tf.add(tf.matMul(pooled, dense), bias)) as tf.Scalar
    })
  return { variables, plain, loss }
}

const slice = (t: tf.Tensor, start: number, count: number) => tf.slice(t, start, count)

function values(grads: Record<string, tf.Tensor>, variables: tf.Variable[]): number[][] {
  return variables.map((v) => Array.from(grads[v.name].dataSync()))
}

function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((x, j) => Math.abs(x - b[i][j]))))
}

describe('gradient accumulation over micro-batches', () => {
  it('cuts a batch into contiguous parts differing by at most one, weighted by their share', () => {
    expect(microBatchSlices(7, 3)).toEqual([
      { start: 0, count: 3, weight: 3 / 7 },
      { start: 3, count: 2, weight: 2 / 7 },
      { start: 5, count: 2, weight: 2 / 7 },
    ])
    expect(microBatchSlices(2, 5)).toHaveLength(2)
    expect(() => microBatchSlices(4, 0)).toThrow(/positive integer/)
  })

  it('without BatchNorm: micro-batches summing to B give the batch-B loss and gradients', () => {
    const net = tinyNet(1)
    const before = tf.memory().numTensors
    const whole = tf.variableGrads(() => net.loss(x, y, false), net.plain)
    for (const m of [2, 3, 7]) {
      const acc = accumulateGradients(net.plain, microBatchSlices(B, m), (p) =>
        net.loss(slice(x, p.start, p.count) as tf.Tensor4D, slice(y, p.start, p.count), false),
      )
      expect(acc.loss).toBeCloseTo(whole.value.dataSync()[0], 5)
      expect(maxDiff(values(acc.grads, net.plain), values(whole.grads, net.plain))).toBeLessThan(1e-5)
      tf.dispose(acc.grads)
    }
    tf.dispose([whole.value, ...Object.values(whole.grads)])
    expect(tf.memory().numTensors).toBe(before)
  })

  it('with BatchNorm each micro-batch uses its own statistics: the weighted sum of per-part gradients, not batch B', () => {
    const net = tinyNet(2)
    const parts = microBatchSlices(B, 2)
    const acc = accumulateGradients(net.variables, parts, (p) =>
      net.loss(slice(x, p.start, p.count) as tf.Tensor4D, slice(y, p.start, p.count), true),
    )
    // Second implementation: each part's gradient computed alone, scaled by count / B, added by hand.
    const perPart = parts.map((p) => {
      const g = tf.variableGrads(
        () => net.loss(slice(x, p.start, p.count) as tf.Tensor4D, slice(y, p.start, p.count), true),
        net.variables,
      )
      const out = values(g.grads, net.variables).map((row) => row.map((v) => v * p.weight))
      tf.dispose([g.value, ...Object.values(g.grads)])
      return out
    })
    const byHand = perPart[0].map((row, i) => row.map((v, j) => v + perPart[1][i][j]))
    expect(maxDiff(values(acc.grads, net.variables), byHand)).toBeLessThan(1e-5)
    // ...and that is a different gradient from one BatchNorm over all B samples (stated, not hidden).
    const whole = tf.variableGrads(() => net.loss(x, y, true), net.variables)
    expect(maxDiff(values(acc.grads, net.variables), values(whole.grads, net.variables))).toBeGreaterThan(
      1e-4,
    )
    tf.dispose([whole.value, ...Object.values(whole.grads), ...Object.values(acc.grads)])
  })

  it('one optimiser step in micro-batches equals the step on the whole batch', () => {
    const a = tinyNet(3)
    const b = tinyNet(3)
    const settings: OptimizerSettings = {
      optimizer: 'adam',
      lr: 0.01,
      momentum: 0,
      weightDecay: 0,
      schedule: 'constant',
      cosineTMax: 0,
      etaMin: 0,
      stepSize: 1,
      gamma: 1,
    }
    const optA = createOptimizer(settings)
    const optB = createOptimizer(settings)
    const before = tf.memory().numTensors
    for (let step = 0; step < 2; step++) {
      optA.minimize(() => a.loss(x, y, false), a.plain, 0.01)
      optB.minimizeInMicroBatches(
        (p) => b.loss(slice(x, p.start, p.count) as tf.Tensor4D, slice(y, p.start, p.count), false),
        microBatchSlices(B, 3),
        b.plain,
        0.01,
      )
    }
    const wa = a.variables.map((v) => Array.from(v.dataSync()))
    const wb = b.variables.map((v) => Array.from(v.dataSync()))
    expect(maxDiff(wa, wb)).toBeLessThan(1e-5)
    // The first step created each optimiser's moments (2 per variable); nothing else stays.
    optA.dispose()
    optB.dispose()
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before)
    tf.dispose([...a.variables, ...b.variables])
  })

  it('holds the running sum and one fresh gradient, not a second set of gradients beside the sum', () => {
    // Four 256 × 256 layers (1 MB of weights) on 6 samples (6 KB per activation): the weights dominate.
    const ws = Array.from({ length: 4 }, (_, i) =>
      tf.variable(tf.randomNormal([256, 256], 0, 0.06, 'float32', 20 + i), true, `acc.w${i}`),
    )
    const xs = tf.randomNormal([6, 256], 0, 1, 'float32', 30)
    const lossOf = (p: { start: number; count: number }): tf.Scalar =>
      tf.tidy(() =>
        tf.mean(tf.square(ws.reduce((h, w) => tf.tanh(tf.matMul(h, w)), slice(xs, p.start, p.count)))),
      )
    const weightBytes = 4 * 4 * 256 * 256
    const before = tf.memory().numTensors
    const { result, peakBytes } = bufferPeak(() => accumulateGradients(ws, microBatchSlices(6, 3), lossOf))
    // The sum (1 MB), one layer's fresh gradient and its new sum (0.25 MB each) and the activations: 1.5 MB
    // and a little. Summing whole micro-batches' gradients at the end would hold 2 MB and more.
    console.log(`accumulation over 3 micro-batches: peak ${peakBytes} B for ${weightBytes} B of weights`)
    expect(peakBytes).toBeLessThan(1.7 * weightBytes)
    const whole = tf.variableGrads(() => lossOf({ start: 0, count: 6 }), ws)
    for (const w of ws) {
      const diff = tf.tidy(
        () => tf.max(tf.abs(tf.sub(result.grads[w.name], whole.grads[w.name]))).dataSync()[0],
      )
      expect(diff).toBeLessThan(1e-6)
    }
    tf.dispose([whole.value, ...Object.values(whole.grads), ...Object.values(result.grads)])
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([xs, ...ws])
  })

  it('slices every view of a view-major stack', () => {
    // 2 views of a batch of 3: rows [v0i0, v0i1, v0i2, v1i0, v1i1, v1i2].
    const stacked = tf.tensor2d([[0], [1], [2], [10], [11], [12]])
    const part = sliceViewMajor(stacked, 3, { start: 1, count: 2, weight: 2 / 3 })
    expect(Array.from(part.dataSync())).toEqual([1, 2, 11, 12])
    tf.dispose([stacked, part])
  })
})
