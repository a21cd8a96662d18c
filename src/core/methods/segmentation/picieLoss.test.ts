import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { picieLoss, type PicieView } from './picieLoss'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** torch CrossEntropyLoss(weight) by hand: Σ w[y]·(−log softmax(f·c)[y]) / Σ w[y]. */
function ce(f: number[][], c: number[][], y: number[], w: number[]): number {
  let num = 0
  let den = 0
  f.forEach((px, i) => {
    const logits = c.map((row) => row.reduce((a, v, d) => a + v * px[d], 0))
    const logZ = Math.log(logits.reduce((a, l) => a + Math.exp(l), 0))
    num += w[y[i]] * (logZ - logits[y[i]])
    den += w[y[i]]
  })
  return num / den
}

// Two pixels per view, 2-dim features, K = 2; every number different so any swap shows.
const f1 = [
  [0.6, 0.8],
  [-1, 0],
]
const f2 = [
  [0, 1],
  [0.8, -0.6],
]
const c1 = [
  [1, 0],
  [0, 1],
]
const c2 = [
  [0.6, -0.8],
  [-0.28, 0.96],
]
const y1 = [0, 1]
const y2 = [1, 1]
const w1 = [0.7, 0.3]
const w2 = [0.2, 0.8]

function view(f: number[][], c: number[][], y: number[], w: number[]): PicieView {
  return {
    features: tf.tensor4d(f.flat(), [1, 1, 2, 2]),
    centroids: tf.tensor2d(c),
    labels: tf.tensor1d(y, 'int32'),
    weights: tf.tensor1d(w),
  }
}

describe('picieLoss', () => {
  it('pairs each classifier with its own view’s labels and weights, within and across views', () => {
    const t = picieLoss(view(f1, c1, y1, w1), view(f2, c2, y2, w2))
    const within = (ce(f1, c1, y1, w1) + ce(f2, c2, y2, w2)) / 2
    const across = (ce(f1, c2, y2, w2) + ce(f2, c1, y1, w1)) / 2
    expect(t.within.arraySync()).toBeCloseTo(within, 6)
    expect(t.across.arraySync()).toBeCloseTo(across, 6)
    expect(t.total.arraySync()).toBeCloseTo((within + across) / 2, 6)
    // The numbers are chosen so that the plausible mistakes all give something else.
    const swappedLabels = (ce(f1, c2, y1, w1) + ce(f2, c1, y2, w2)) / 2
    const swappedWeights = (ce(f1, c2, y2, w1) + ce(f2, c1, y1, w2)) / 2
    for (const wrong of [swappedLabels, swappedWeights, within])
      expect(Math.abs(across - wrong)).toBeGreaterThan(1e-3)
  })

  it('the cross-view terms change the gradient the features receive', () => {
    const grad = (withAcross: boolean) =>
      tf.grad((f: tf.Tensor) => {
        const t = picieLoss({ ...view(f1, c1, y1, w1), features: f as tf.Tensor4D }, view(f2, c2, y2, w2))
        return withAcross ? t.total : (tf.div(t.within, 2) as tf.Scalar)
      })(tf.tensor4d(f1.flat(), [1, 1, 2, 2]))
    const difference = tf.max(tf.abs(tf.sub(grad(true), grad(false)))).arraySync() as number
    expect(difference).toBeGreaterThan(1e-3)
  })
})
