import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { crossEntropy2d, diceLoss, frequencyWeightedCrossEntropy, supervisedLoss } from './losses'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// One image, 1 × 2 pixels, two classes.
const probs = () => tf.tensor4d([0.8, 0.2, 0.4, 0.6], [1, 1, 2, 2])
const logits = () => tf.tensor4d([2, 0, 0, 1], [1, 1, 2, 2])
const labels = () => tf.tensor3d([0, 1], [1, 1, 2], 'int32')

describe('segmentation losses', () => {
  it('diceLoss follows SSL4MIS (squared sums, smooth 1e-5, mean over classes)', () => {
    const s = 1e-5
    const class0 = 1 - (2 * 0.8 + s) / (0.64 + 0.16 + 1 + s)
    const class1 = 1 - (2 * 0.6 + s) / (0.04 + 0.36 + 1 + s)
    expect(diceLoss(probs(), labels()).arraySync()).toBeCloseTo((class0 + class1) / 2, 6)
  })
  it('diceLoss sums over the batch before dividing, not per image', () => {
    const p = tf.tensor4d([1, 0, 0, 1], [2, 1, 1, 2]) // image 0 says class 0, image 1 says class 1
    const y = tf.tensor3d([0, 0], [2, 1, 1], 'int32')
    // class 0: I = 1, z = 1, y = 2 → 1 − 2/3; class 1: I = 0, z = 1, y = 0 → 1 − s/(1+s) ≈ 1
    expect(diceLoss(p, y).arraySync()).toBeCloseTo((1 / 3 + 1) / 2, 4)
  })
  it('crossEntropy2d is the mean negative log-softmax of the true class', () => {
    const expected = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-1))) / 2
    expect(crossEntropy2d(logits(), labels()).arraySync()).toBeCloseTo(expected, 6)
  })
  it('supervisedLoss is half the sum of Dice on the softmax and CE', () => {
    const { loss, dice, ce } = supervisedLoss(logits(), labels())
    const soft = tf.softmax(logits()) as tf.Tensor4D
    expect(dice.arraySync()).toBeCloseTo(diceLoss(soft, labels()).arraySync(), 6)
    expect(loss.arraySync()).toBeCloseTo(0.5 * (dice.arraySync() + ce.arraySync()), 6)
  })
  it('frequencyWeightedCrossEntropy uses torch weighted-mean reduction', () => {
    const l = tf.tensor2d([2, 0, 0, 1, 1, 1], [3, 2])
    const y = tf.tensor1d([0, 1, 1], 'int32')
    const w = tf.tensor1d([0.25, 0.75])
    const nll = [Math.log(1 + Math.exp(-2)), Math.log(1 + Math.exp(-1)), Math.log(2)]
    const expected = (0.25 * nll[0] + 0.75 * nll[1] + 0.75 * nll[2]) / (0.25 + 0.75 + 0.75)
    expect(frequencyWeightedCrossEntropy(l, y, w).arraySync()).toBeCloseTo(expected, 6)
  })
  it('names the mismatch on bad shapes', () => {
    expect(() => diceLoss(probs(), tf.tensor3d([0, 1, 1], [1, 1, 3], 'int32'))).toThrow(
      /diceLoss: labels of shape \[1,1,3\]/,
    )
    expect(() =>
      frequencyWeightedCrossEntropy(tf.zeros([2, 3]), tf.tensor1d([0, 1], 'int32'), tf.ones([2])),
    ).toThrow(/2 weights for 3 clusters/)
    // Each of rank, batch, height and width is checked, and the message names the loss.
    const scores = tf.zeros([2, 3, 4, 2]) as tf.Tensor4D
    for (const shape of [
      [2, 3],
      [1, 3, 4],
      [2, 2, 4],
      [2, 3, 5],
    ]) {
      expect(() => crossEntropy2d(scores, tf.zeros(shape, 'int32') as tf.Tensor as tf.Tensor3D)).toThrow(
        `crossEntropy2d: labels of shape [${shape}] do not match scores [2,3,4,2]`,
      )
    }
    expect(() => diceLoss(tf.zeros([3, 4, 2]) as unknown as tf.Tensor4D, labels())).toThrow(
      'diceLoss: expected [N, H, W, C] scores, got shape [3,4,2]',
    )
    expect(() =>
      frequencyWeightedCrossEntropy(tf.zeros([2, 3]), tf.tensor1d([0, 1, 2], 'int32'), tf.ones([3])),
    ).toThrow('frequencyWeightedCrossEntropy: labels of shape [3] do not match logits [2,3]')
  })
})
