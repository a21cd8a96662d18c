import * as tf from '@tensorflow/tfjs'
import { frequencyWeightedCrossEntropy } from './losses'

/**
 * PiCIE's training loss for one batch (janghyuncho/PiCIE train_picie.py `train`): each view's features
 * are classified by both views' frozen centroid classifiers. Classifier k is always paired with view k's
 * labels and view k's balanced cross-entropy weights:
 *   within = (CE₁(f₁·c₁, y₁) + CE₂(f₂·c₂, y₂)) / 2      (loss11, loss22)
 *   across = (CE₂(f₁·c₂, y₂) + CE₁(f₂·c₁, y₁)) / 2      (loss12, loss21)
 *   total  = (within + across) / 2
 * Features are L2-normalised pixel features [N, h, w, dim]; labels flat [N·h·w].
 */
export interface PicieView {
  features: tf.Tensor4D
  centroids: tf.Tensor2D
  labels: tf.Tensor1D
  weights: tf.Tensor1D
  /** Σ weights[label] over the whole batch's labels of this view, when `labels` are a micro-batch's part. */
  weightTotal?: number
}

export interface PicieLossTerms {
  total: tf.Scalar
  within: tf.Scalar
  across: tf.Scalar
}

/** PiCIE's classifier: a frozen 1×1 conv whose weights are the centroids (no bias): logits = f · c. */
export function clusterLogits(features: tf.Tensor4D, centroids: tf.Tensor2D): tf.Tensor4D {
  const [n, h, w, d] = features.shape
  return tf.reshape(tf.matMul(tf.reshape(features, [-1, d]), centroids, false, true), [
    n,
    h,
    w,
    -1,
  ]) as tf.Tensor4D
}

export function picieLoss(view1: PicieView, view2: PicieView): PicieLossTerms {
  // Features of `f` classified by view `c`'s centroids, scored against view `c`'s labels and weights.
  const ce = (f: tf.Tensor4D, c: PicieView) =>
    frequencyWeightedCrossEntropy(clusterLogits(f, c.centroids), c.labels, c.weights, c.weightTotal)
  const within = tf.div(tf.add(ce(view1.features, view1), ce(view2.features, view2)), 2) as tf.Scalar
  const across = tf.div(tf.add(ce(view1.features, view2), ce(view2.features, view1)), 2) as tf.Scalar
  return { total: tf.div(tf.add(within, across), 2) as tf.Scalar, within, across }
}
