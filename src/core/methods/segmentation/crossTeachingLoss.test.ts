import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { crossTeachingLoss, pseudoLabel } from './crossTeachingLoss'
import { diceLoss, supervisedLoss } from './losses'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function randomLogits(seed: number): tf.Tensor4D {
  return tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', seed) as tf.Tensor4D
}

describe('crossTeachingLoss', () => {
  const labels = tf.tensor3d(
    Array.from({ length: 2 * 9 }, (_, i) => (i * 7) % 2),
    [2, 3, 3],
    'int32',
  )
  const lambda = 0.3

  it('is ½(Dice + CE) on the labelled half plus λ·Dice against the other net’s argmax on the rest', () => {
    const l1 = randomLogits(1)
    const l2 = randomLogits(2)
    const t = crossTeachingLoss(l1, l2, labels, lambda)
    const s1 = supervisedLoss(l1.slice([0, 0, 0, 0], [2, 3, 3, 2]), labels).loss.arraySync()
    const u1 = tf.softmax(l1.slice([2, 0, 0, 0], [2, 3, 3, 2])) as tf.Tensor4D
    const u2 = tf.softmax(l2.slice([2, 0, 0, 0], [2, 3, 3, 2])) as tf.Tensor4D
    const argmax2 = tf.tensor3d(
      (u2.arraySync() as number[][][][]).map((img) =>
        img.map((row) => row.map((p) => (p[1] > p[0] ? 1 : 0))),
      ),
      [2, 3, 3],
      'int32',
    )
    expect(Array.from(pseudoLabel(u2).dataSync())).toEqual(Array.from(argmax2.dataSync()))
    const expected1 = s1 + lambda * diceLoss(u1, argmax2).arraySync()
    expect(t.loss1.arraySync()).toBeCloseTo(expected1, 5)
    expect(t.total.arraySync()).toBeCloseTo(t.loss1.arraySync() + t.loss2.arraySync(), 5)
  })

  it('sends no gradient through the pseudo label into the other net', () => {
    const l1 = randomLogits(3)
    const l2 = randomLogits(4)
    // d(loss1)/d(logits2) must be zero everywhere: loss1 sees net 2 only through argmax.
    const [g1, g2] = tf.grads(
      (a: tf.Tensor, b: tf.Tensor) =>
        crossTeachingLoss(a as tf.Tensor4D, b as tf.Tensor4D, labels, lambda).loss1,
    )([l1, l2])
    expect(tf.max(tf.abs(g2)).arraySync()).toBe(0)
    // …while net 1's own unlabelled outputs do receive gradient from the pseudo-supervision term.
    const unlabelledGrad = g1.slice([2, 0, 0, 0], [2, 3, 3, 2])
    expect(tf.max(tf.abs(unlabelledGrad)).arraySync()).toBeGreaterThan(1e-4)
    // And the total's gradient for net 2 equals that of loss2 alone.
    const [, gTotal2] = tf.grads(
      (a: tf.Tensor, b: tf.Tensor) =>
        crossTeachingLoss(a as tf.Tensor4D, b as tf.Tensor4D, labels, lambda).total,
    )([l1, l2])
    const [, gLoss2] = tf.grads(
      (a: tf.Tensor, b: tf.Tensor) =>
        crossTeachingLoss(a as tf.Tensor4D, b as tf.Tensor4D, labels, lambda).loss2,
    )([l1, l2])
    expect(tf.max(tf.abs(tf.sub(gTotal2, gLoss2))).arraySync()).toBeLessThan(1e-7)
  })

  it('refuses a batch with no unlabelled images', () => {
    expect(() =>
      crossTeachingLoss(randomLogits(1), randomLogits(2), tf.zeros([4, 3, 3], 'int32'), 0.1),
    ).toThrow(/needs unlabelled images/)
  })

  it("refuses two nets' outputs of different shapes", () => {
    expect(() =>
      crossTeachingLoss(
        randomLogits(1),
        tf.zeros([4, 3, 2, 2]) as tf.Tensor4D,
        tf.zeros([2, 3, 3], 'int32'),
        0.1,
      ),
    ).toThrow("The two nets' outputs differ in shape: [4,3,3,2] vs [4,3,2,2]")
  })
})
