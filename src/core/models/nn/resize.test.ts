import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { bilinearMatrix, resizeBilinear, upsampleNearest } from './resize'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('resize', () => {
  it('builds torch’s bilinear weights (align_corners False and True)', () => {
    // 2 → 3, half-pixel: sources −1/6 (clamped to 0), 0.5, 7/6 (clamped to the last pixel)
    expect(Array.from(bilinearMatrix(2, 3, false))).toEqual([1, 0, 0.5, 0.5, 0, 1])
    // 3 → 2, align corners: sources 0 and 2
    expect(Array.from(bilinearMatrix(3, 2, true))).toEqual([1, 0, 0, 0, 0, 1])
    // 2 → 4, half-pixel: sources −0.25→0, 0.25, 0.75, 1.25→1
    const m = Array.from(bilinearMatrix(2, 4, false))
    ;[1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1].forEach((v, i) => expect(m[i]).toBeCloseTo(v, 6))
  })

  it('resizes NHWC maps bilinearly, per channel', () => {
    // One row [0, 4] → 4 columns: 0, 1, 3, 4; second channel doubled
    const x = tf.tensor4d([0, 0, 4, 8], [1, 1, 2, 2])
    const y = resizeBilinear(x, [1, 4])
    expect(Array.from(y.dataSync())).toEqual([0, 0, 1, 2, 3, 6, 4, 8])
  })

  it('upsamples by pixel repetition and sends back block sums as the gradient', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1])
    expect(Array.from(upsampleNearest(x, 2).dataSync())).toEqual([
      1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6,
    ])
    const r = tf.range(0, 24).reshape([1, 4, 6, 1])
    const [g] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(upsampleNearest(t, 2), r)))([x])
    // block (0,0) holds r = 0, 1, 6, 7 → 14; block (1,2) holds 16, 17, 22, 23 → 78
    expect(Array.from(g.dataSync())).toEqual([14, 22, 30, 62, 70, 78])
  })
})
