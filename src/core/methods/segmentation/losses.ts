import * as tf from '@tensorflow/tfjs'

/**
 * Segmentation losses on NHWC tensors (logits/probabilities [N, H, W, C], labels int32 [N, H, W]).
 * Semantics follow the reference code the paper ran: SSL4MIS's DiceLoss and torch's CrossEntropyLoss.
 */

const DICE_SMOOTH = 1e-5

function checkShapes(scores: tf.Tensor, labels: tf.Tensor, what: string): number {
  if (scores.rank !== 4) throw new Error(`${what}: expected [N, H, W, C] scores, got shape [${scores.shape}]`)
  const [n, h, w, c] = scores.shape
  if (labels.rank !== 3 || labels.shape[0] !== n || labels.shape[1] !== h || labels.shape[2] !== w) {
    throw new Error(`${what}: labels of shape [${labels.shape}] do not match scores [${scores.shape}]`)
  }
  return c
}

/**
 * SSL4MIS DiceLoss: per class k, 1 − (2·Σ p·y + s) / (Σ p² + Σ y² + s) with sums over the whole batch
 * and all pixels, s = 1e-5, averaged over classes (background included). Takes probabilities
 * (the cross-teaching script passes softmax outputs).
 */
export function diceLoss(probabilities: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar {
  const classes = checkShapes(probabilities, labels, 'diceLoss')
  return tf.tidy(() => {
    const target = tf.oneHot(labels.toInt(), classes).toFloat()
    const intersect = tf.sum(tf.mul(probabilities, target), [0, 1, 2])
    const ySum = tf.sum(tf.mul(target, target), [0, 1, 2])
    const zSum = tf.sum(tf.mul(probabilities, probabilities), [0, 1, 2])
    const perClass = tf.sub(
      1,
      tf.div(tf.add(tf.mul(2, intersect), DICE_SMOOTH), tf.add(tf.add(zSum, ySum), DICE_SMOOTH)),
    )
    return tf.mean(perClass) as tf.Scalar
  })
}

/** torch CrossEntropyLoss on logits: mean over all pixels of −log softmax(logits)[label]. */
export function crossEntropy2d(logits: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar {
  const classes = checkShapes(logits, labels, 'crossEntropy2d')
  return tf.tidy(() => {
    const target = tf.oneHot(labels.toInt(), classes).toFloat()
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), target), -1))) as tf.Scalar
  })
}

/** ½(Dice + CE): the supervised loss of DEDL and of SSL4MIS's labelled half. */
export function supervisedLoss(
  logits: tf.Tensor4D,
  labels: tf.Tensor3D,
): { loss: tf.Scalar; dice: tf.Scalar; ce: tf.Scalar } {
  const dice = diceLoss(tf.softmax(logits) as tf.Tensor4D, labels)
  const ce = crossEntropy2d(logits, labels)
  return { loss: tf.mul(0.5, tf.add(dice, ce)), dice, ce }
}

/**
 * PiCIE's balanced cross-entropy: torch CrossEntropyLoss(weight) with weight[k] = cluster k's share
 * of all assigned pixels (PiCIE's compute_labels returns counts / counts.sum()). Reduction is torch's
 * weighted mean: Σ w[yᵢ]·(−log pᵢ[yᵢ]) / Σ w[yᵢ]. Logits [P, K] or [N, H, W, K]; labels the leading shape.
 * `weightTotal`, when given, is the denominator Σ w[yᵢ] of the whole batch: a micro-batch then contributes
 * its exact share of the batch's loss (gradientAccumulation.ts).
 */
export function frequencyWeightedCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  weights: tf.Tensor1D,
  weightTotal?: number,
): tf.Scalar {
  const classes = logits.shape[logits.rank - 1]
  if (weights.shape[0] !== classes) {
    throw new Error(`frequencyWeightedCrossEntropy: ${weights.shape[0]} weights for ${classes} clusters`)
  }
  if (labels.size * classes !== logits.size) {
    throw new Error(
      `frequencyWeightedCrossEntropy: labels of shape [${labels.shape}] do not match logits [${logits.shape}]`,
    )
  }
  return tf.tidy(() => {
    const flatLogits = logits.reshape([-1, classes])
    const target = tf.oneHot(labels.reshape([-1]).toInt(), classes).toFloat()
    const pixelWeight = tf.sum(tf.mul(target, weights), -1)
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(flatLogits), target), -1))
    return tf.div(tf.sum(tf.mul(pixelWeight, nll)), weightTotal ?? tf.sum(pixelWeight)) as tf.Scalar
  })
}
