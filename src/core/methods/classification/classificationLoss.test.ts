import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import {
  binaryCrossEntropy,
  checkLossForLabels,
  classificationLoss,
  classProbabilities,
  defaultLossFor,
  softmaxCrossEntropy,
} from './classificationLoss'
import { focalClassWeights, sigmoidFocalLoss } from './focalLoss'

const t2 = (v: number[][]) => tf.tensor2d(v)

function lossAndGrad(f: (x: tf.Tensor2D) => tf.Scalar, logits: number[][]) {
  const x = t2(logits)
  const { value, grad } = tf.valueAndGrad(f)(x)
  const out = { loss: value.dataSync()[0], grad: grad.arraySync() as number[][] }
  tf.dispose([x, value, grad])
  return out
}

function expectRowsClose(a: number[][], b: number[][], digits = 5) {
  expect(a.length).toBe(b.length)
  a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], digits)))
}

describe('multi-class head: softmax cross-entropy', () => {
  it('equals the hand-computed value and torch gradient on two images', () => {
    const y = t2([
      [0, 1, 0],
      [0, 0, 1],
    ])
    const { loss, grad } = lossAndGrad(
      (x) => softmaxCrossEntropy(x, y),
      [
        [1, 2, 0],
        [0.5, -1, 3],
      ],
    )
    // image 1: log(e + e² + 1) − 2 = 0.4076060; image 2: log(e^0.5 + e^−1 + e³) − 3 = 0.0956744
    expect(loss).toBeCloseTo(
      (Math.log(Math.E + Math.E ** 2 + 1) - 2 + Math.log(Math.E ** 0.5 + Math.E ** -1 + Math.E ** 3) - 3) / 2,
      6,
    )
    expect(loss).toBeCloseTo(0.2516402, 6)
    // torch.nn.functional.cross_entropy(...).backward(): (softmax − y) / N
    expectRowsClose(grad, [
      [0.1223642, -0.1673795, 0.0450153],
      [0.0372978, 0.0083223, -0.0456201],
    ])
    y.dispose()
  })
})

describe('multi-label head: sigmoid per class', () => {
  it('binary cross-entropy handles an image with no label and one with every label', () => {
    const y = t2([
      [0, 0, 0],
      [1, 1, 1],
    ])
    const { loss, grad } = lossAndGrad(
      (x) => binaryCrossEntropy(x, y),
      [
        [0, 2, -1],
        [1.5, -0.5, 0],
      ],
    )
    // softplus(x) for negatives, softplus(−x) for positives, mean over the 6 entries
    const sp = (v: number) => Math.log1p(Math.exp(v))
    expect(loss).toBeCloseTo((sp(0) + sp(2) + sp(-1) + sp(-1.5) + sp(0.5) + sp(0)) / 6, 6)
    expect(loss).toBeCloseTo(0.8336623, 6)
    // (σ(x) − y) / 6, as torch's BCEWithLogitsLoss gives
    expectRowsClose(grad, [
      [0.0833333, 0.1467995, 0.0448236],
      [-0.0304043, -0.1037432, -0.0833333],
    ])
    y.dispose()
  })

  it('sigmoid focal loss with class weights equals the hand-computed value and torch gradient', () => {
    const y = t2([[1, 0]])
    const { loss, grad } = lossAndGrad(
      (x) => sigmoidFocalLoss(x, y, { alpha: 1, gamma: 2, classWeights: [1, 0.5] }),
      [[0, 2]],
    )
    // class 0: p_t = σ(0) = 0.5 → 0.25·log 2 = 0.1732868
    // class 1: p_t = 1 − σ(2) = 0.1192029 → (1 − 0.1192029)²·softplus(2)·0.5 = 0.7758034·2.1269280·0.5 = 0.8250388
    expect(loss).toBeCloseTo(
      (0.25 * Math.LN2 + 0.5 * (1 - 1 / (1 + Math.exp(2))) ** 2 * Math.log1p(Math.exp(2))) / 2,
      6,
    )
    expect(loss).toBeCloseTo(0.4991628, 6)
    expectRowsClose(grad, [[-0.1491434, 0.2691784]])
    y.dispose()
  })

  it('focal loss with γ 0, α 1 and no weights is binary cross-entropy; γ 2 down-weights easy examples', () => {
    const x = t2([
      [3, -2, 0.3],
      [-4, 1, 2],
    ])
    const y = t2([
      [1, 0, 1],
      [0, 0, 1],
    ])
    const bce = binaryCrossEntropy(x, y)
    const focal0 = sigmoidFocalLoss(x, y, { gamma: 0 })
    const focal2 = sigmoidFocalLoss(x, y, { gamma: 2 })
    expect(focal0.dataSync()[0]).toBeCloseTo(bce.dataSync()[0], 6)
    expect(focal2.dataSync()[0]).toBeLessThan(bce.dataSync()[0] / 2)
    tf.dispose([x, y, bce, focal0, focal2])
  })

  it('CASS class weights: counts min-max scaled to [0.2, 1]', () => {
    expect(focalClassWeights([10, 5, 1])).toEqual(
      [1, 0.2 + 0.8 * (4 / 9), 0.2].map((v) => expect.closeTo(v, 12)),
    )
    expect(focalClassWeights([4, 4])).toEqual([1, 1])
  })
})

describe('choosing the loss', () => {
  it('dispatches by name and refuses softmax cross-entropy for multi-label data', () => {
    const x = t2([[0.2, -0.4]])
    const y = t2([[1, 0]])
    const a = classificationLoss('binary-cross-entropy', x, y)
    const b = binaryCrossEntropy(x, y)
    expect(a.dataSync()[0]).toBe(b.dataSync()[0])
    tf.dispose([a, b])
    expect(() => checkLossForLabels('cross-entropy', 'multi-label')).toThrow(/multi-label/)
    expect(() => checkLossForLabels('focal', 'multi-class')).not.toThrow()
    expect(() => checkLossForLabels('cross-entropy', 'multi-class')).not.toThrow()
    expect(() => checkLossForLabels('binary-cross-entropy', 'multi-label')).not.toThrow()
    // Every name reaches its own loss; focal passes its α, γ and class weights on.
    const same = (kind: Parameters<typeof classificationLoss>[0], direct: () => tf.Scalar, opts = {}) => {
      const [got, want] = [classificationLoss(kind, x, y, opts), direct()]
      expect(got.dataSync()[0]).toBe(want.dataSync()[0])
      tf.dispose([got, want])
    }
    same('cross-entropy', () => softmaxCrossEntropy(x, y))
    same('focal', () => sigmoidFocalLoss(x, y, { alpha: 0.25, gamma: 1, classWeights: [0.2, 1] }), {
      focalAlpha: 0.25,
      focalGamma: 1,
      classWeights: [0.2, 1],
    })
    tf.dispose([x, y])
  })

  it('the label mode picks the default loss and how logits become probabilities', () => {
    expect(defaultLossFor('multi-class')).toBe('cross-entropy')
    expect(defaultLossFor('multi-label')).toBe('binary-cross-entropy')
    const logits = t2([[0, Math.log(3)]])
    const softmax = classProbabilities('multi-class', logits)
    const sigmoid = classProbabilities('multi-label', logits)
    expect(Array.from(softmax.dataSync()).map((v) => v.toFixed(6))).toEqual(['0.250000', '0.750000'])
    expect(Array.from(sigmoid.dataSync()).map((v) => v.toFixed(6))).toEqual(['0.500000', '0.750000'])
    tf.dispose([logits, softmax, sigmoid])
  })

  it('rejects targets that do not match the logits', () => {
    const x = t2([[0, 1]])
    const y = t2([[1, 0, 0]])
    expect(() => softmaxCrossEntropy(x, y)).toThrow(
      /^cross-entropy: targets \[1,3\] must match logits \[1,2\]/,
    )
    expect(() => binaryCrossEntropy(x, y)).toThrow(/^binary cross-entropy: targets/)
    expect(() => sigmoidFocalLoss(x, x, { classWeights: [1] })).toThrow(/1 class weights for 2 classes/)
    expect(() => sigmoidFocalLoss(x, y)).toThrow(/focal loss: targets \[1,3\] do not match logits \[1,2\]/)
    // A rank-1 logits tensor is not images × classes, even when the targets have its shape.
    const flat = tf.tensor1d([0, 1]) as unknown as tf.Tensor2D
    expect(() => binaryCrossEntropy(flat, flat)).toThrow(/images × classes/)
    expect(() => focalClassWeights([])).toThrow(/at least one class count/)
    flat.dispose()
    tf.dispose([x, y])
  })
})
