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

/** Each net's ½(Dice + CE) on labelled images. */
export function supervisedPair(
  labelledLogits1: tf.Tensor4D,
  labelledLogits2: tf.Tensor4D,
  labels: tf.Tensor3D,
): { supervised1: tf.Scalar; supervised2: tf.Scalar } {
  return {
    supervised1: supervisedLoss(labelledLogits1, labels).loss,
    supervised2: supervisedLoss(labelledLogits2, labels).loss,
  }
}

/** Each net's Dice against the other's argmax on unlabelled images (before λ). */
export function pseudoPair(
  unlabelledLogits1: tf.Tensor4D,
  unlabelledLogits2: tf.Tensor4D,
): { pseudo1: tf.Scalar; pseudo2: tf.Scalar } {
  const soft1 = tf.softmax(unlabelledLogits1) as tf.Tensor4D
  const soft2 = tf.softmax(unlabelledLogits2) as tf.Tensor4D
  return { pseudo1: diceLoss(soft1, pseudoLabel(soft2)), pseudo2: diceLoss(soft2, pseudoLabel(soft1)) }
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
  const { supervised1: s1, supervised2: s2 } = supervisedPair(
    labelledPart(logits1),
    labelledPart(logits2),
    labels,
  )
  const { pseudo1, pseudo2 } = pseudoPair(unlabelledPart(logits1), unlabelledPart(logits2))
  const loss1 = tf.add(s1, tf.mul(lambda, pseudo1)) as tf.Scalar
  const loss2 = tf.add(s2, tf.mul(lambda, pseudo2)) as tf.Scalar
  return {
    total: tf.add(loss1, loss2) as tf.Scalar,
    loss1,
    loss2,
    supervised1: s1,
    supervised2: s2,
    pseudo1,
    pseudo2,
  }
}
