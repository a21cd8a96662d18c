import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  classPixelCounts,
  classWeightedCrossEntropy,
  inverseFrequencyWeights,
} from './classWeightedCrossEntropy'
import { memorySet } from './segmentationData'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe("DEDL's class-weighted cross-entropy", () => {
  it('sums w[y]·(−log softmax) over the pixels (torch reduction="sum"), by hand on 1 × 1 × 3', () => {
    // Pixel 0: logits (2, 0), class 0; pixel 1: (0, 1), class 1; pixel 2: (1, 1), class 1.
    const logits = tf.tensor4d([2, 0, 0, 1, 1, 1], [1, 1, 3, 2])
    const labels = tf.tensor3d([0, 1, 1], [1, 1, 3], 'int32')
    const w = tf.tensor1d([0.25, 0.75])
    const nll0 = Math.log(1 + Math.exp(-2))
    const nll1 = Math.log(1 + Math.exp(-1))
    const nll2 = Math.log(2)
    const expected = 0.25 * nll0 + 0.75 * nll1 + 0.75 * nll2
    expect(classWeightedCrossEntropy(logits, labels, w).arraySync()).toBeCloseTo(expected, 6)
    // Not the weighted mean (÷ Σw = 1.75) and not the unweighted sum.
    expect(expected).not.toBeCloseTo(expected / 1.75, 2)
    expect(expected).not.toBeCloseTo(nll0 + nll1 + nll2, 2)
  })

  it("weights each class by the other's pixel share: DEDL's [0.148, 0.852] from its frequencies", () => {
    // 85.2 % background, 14.8 % foreground pixels → DEDL's hard-coded weights.
    const w = inverseFrequencyWeights([852_086, 147_914])
    expect(w[0]).toBeCloseTo(0.1479139, 5)
    expect(w[1]).toBeCloseTo(0.8520861, 5)
    // Three classes: inverse frequency, normalised; an absent class weighs nothing.
    expect(inverseFrequencyWeights([1, 2, 0])).toEqual([2 / 3, 1 / 3, 0])
    expect(() => inverseFrequencyWeights([0, 0])).toThrow(/no pixels/)
    expect(() => inverseFrequencyWeights([3, -1])).toThrow('class pixel counts must be ≥ 0, got [3,-1]')
    expect(() => inverseFrequencyWeights([3, Number.NaN])).toThrow(/must be ≥ 0/)
  })

  it('refuses weights or labels that do not fit the logits, and images without masks', async () => {
    const logits = tf.zeros([2, 3, 4, 2]) as tf.Tensor4D
    expect(() => classWeightedCrossEntropy(logits, tf.zeros([2, 3, 4], 'int32'), tf.ones([3]))).toThrow(
      'classWeightedCrossEntropy: 3 weights for 2 classes',
    )
    for (const shape of [
      [2, 3],
      [1, 3, 4],
      [2, 2, 4],
      [2, 3, 5],
    ]) {
      expect(() =>
        classWeightedCrossEntropy(logits, tf.zeros(shape, 'int32') as tf.Tensor as tf.Tensor3D, tf.ones([2])),
      ).toThrow(`classWeightedCrossEntropy: labels of shape [${shape}] do not match logits [2,3,4,2]`)
    }
    await expect(classPixelCounts(memorySet(2, [1], new Float32Array(12), null), 2)).rejects.toThrow(
      'These images carry no masks: no class weights',
    )
  })

  it('counts the pixels of each class over every labelled mask', async () => {
    const size = 2
    const masks = Uint8Array.from([0, 0, 0, 1, 1, 1, 0, 1])
    const set = memorySet(size, [1, 2], new Float32Array(2 * 4 * 3), masks)
    expect(await classPixelCounts(set, 2)).toEqual([4, 4])
    expect(await classPixelCounts(memorySet(size, [1], new Float32Array(12), masks.slice(0, 4)), 2)).toEqual([
      3, 1,
    ])
    await expect(classPixelCounts(set, 1)).rejects.toThrow(/class 1/)
  })

  it('has the weighted CE gradient, scaled by the target class weight only', () => {
    // d/dz of w_y·(−log softmax(z)_y) = w_y·(softmax(z) − onehot(y)).
    const z = tf.tensor4d([0.3, -0.2], [1, 1, 1, 2])
    const y = tf.tensor3d([1], [1, 1, 1], 'int32')
    const w = tf.tensor1d([0.1, 0.9])
    const g = tf
      .grad((l: tf.Tensor) => classWeightedCrossEntropy(l as tf.Tensor4D, y, w))(z)
      .arraySync() as number[][][][]
    const p1 = 1 / (1 + Math.exp(0.5)) // softmax of the true class, logit −0.2 against 0.3
    expect(g[0][0][0][0]).toBeCloseTo(0.9 * (1 - p1), 6)
    expect(g[0][0][0][1]).toBeCloseTo(0.9 * (p1 - 1), 6)
  })
})
