import * as tf from '@tensorflow/tfjs'
import { diceLoss, supervisedLoss } from './losses'

/**
 * The loss of one cross-teaching step (Luo et al. 2022, SSL4MIS). The batch holds the labelled images
 * first, then the unlabelled ones. Each net gets ½(Dice + CE) on the labelled part plus
 * λ·Dice(own softmax, argmax of the other net) on the unlabelled part. The pseudo label is an argmax,
 * which carries no gradient, so the sum of both losses trains each net only through its own terms.
 */
export interface CrossTeachingTerms {
  /** loss1 + loss2, what one optimiser step differentiates. */
  total: tf.Scalar
  loss1: tf.Scalar
  loss2: tf.Scalar
  supervised1: tf.Scalar
  supervised2: tf.Scalar
  pseudo1: tf.Scalar
  pseudo2: tf.Scalar
}

export function pseudoLabel(probabilities: tf.Tensor4D): tf.Tensor3D {
  return tf.argMax(probabilities, -1) as tf.Tensor3D
}

export function crossTeachingLoss(
  logits1: tf.Tensor4D,
  logits2: tf.Tensor4D,
  labels: tf.Tensor3D,
  lambda: number,
): CrossTeachingTerms {
  const labelledCount = labels.shape[0]
  const n = logits1.shape[0]
  if (logits2.shape.join() !== logits1.shape.join()) {
    throw new Error(`The two nets' outputs differ in shape: [${logits1.shape}] vs [${logits2.shape}]`)
  }
  if (labelledCount >= n)
    throw new Error(`A cross-teaching batch needs unlabelled images: ${labelledCount} labelled of ${n}`)
  const [, h, w, c] = logits1.shape
  const labelledPart = (t: tf.Tensor4D): tf.Tensor4D => t.slice([0, 0, 0, 0], [labelledCount, h, w, c])
  const unlabelledPart = (t: tf.Tensor4D): tf.Tensor4D =>
    t.slice([labelledCount, 0, 0, 0], [n - labelledCount, h, w, c])
  const s1 = supervisedLoss(labelledPart(logits1), labels)
  const s2 = supervisedLoss(labelledPart(logits2), labels)
  const soft1 = tf.softmax(unlabelledPart(logits1)) as tf.Tensor4D
  const soft2 = tf.softmax(unlabelledPart(logits2)) as tf.Tensor4D
  const pseudo1 = diceLoss(soft1, pseudoLabel(soft2))
  const pseudo2 = diceLoss(soft2, pseudoLabel(soft1))
  const loss1 = tf.add(s1.loss, tf.mul(lambda, pseudo1)) as tf.Scalar
  const loss2 = tf.add(s2.loss, tf.mul(lambda, pseudo2)) as tf.Scalar
  return {
    total: tf.add(loss1, loss2) as tf.Scalar,
    loss1,
    loss2,
    supervised1: s1.loss,
    supervised2: s2.loss,
    pseudo1,
    pseudo2,
  }
}
