import * as tf from '@tensorflow/tfjs'

/**
 * CASS's fine-tuning loss (CASS.ipynb, `FocalLoss`): a sigmoid per class, focal weighting
 * −α·(1 − p_t)^γ·log p_t (Lin et al. 2017), times a fixed weight per class, averaged over images and
 * classes. CASS uses it for multi-class (one-hot targets) and multi-label data alike; α 1 and γ 2 are its
 * settings. log p_t is computed from the logits (softplus), which the notebook approximates with
 * log(p + 1e-12).
 */

export interface FocalLossOptions {
  /** CASS: 1. */
  alpha?: number
  /** CASS: 2 (γ = 0 and α = 1 give binary cross-entropy). */
  gamma?: number
  /** One weight per class; default all 1. */
  classWeights?: readonly number[]
}

export function sigmoidFocalLoss(
  logits: tf.Tensor2D,
  targets: tf.Tensor2D,
  { alpha = 1, gamma = 2, classWeights }: FocalLossOptions = {},
): tf.Scalar {
  const classes = logits.shape[1]
  if (targets.shape.join() !== logits.shape.join())
    throw new Error(`focal loss: targets [${targets.shape}] do not match logits [${logits.shape}]`)
  if (classWeights && classWeights.length !== classes)
    throw new Error(`focal loss: ${classWeights.length} class weights for ${classes} classes`)
  return tf.tidy(() => {
    // log p = −softplus(−x), log(1 − p) = −softplus(x)
    const logP = tf.neg(tf.softplus(tf.neg(logits)))
    const logQ = tf.neg(tf.softplus(logits))
    const logPt = tf.add(tf.mul(targets, logP), tf.mul(tf.sub(1, targets), logQ))
    const pt = tf.exp(logPt)
    let loss = tf.mul(tf.mul(-alpha, tf.pow(tf.sub(1, pt), gamma)), logPt)
    if (classWeights) loss = tf.mul(loss, tf.tensor1d(Array.from(classWeights)))
    return tf.mean(loss) as tf.Scalar
  })
}

/**
 * CASS's per-class weights: the training set's class counts min-max scaled to [0.2, 1] (its `cls_weight`,
 * e.g. 1.0 for ISIC-2019's most common class, 0.2 for the rarest). The direction is the reference's: the
 * more common a class, the larger its weight. All counts equal → all 1.
 */
export function focalClassWeights(counts: readonly number[], low = 0.2, high = 1): number[] {
  if (!counts.length) throw new Error('focal class weights need at least one class count')
  const min = Math.min(...counts)
  const max = Math.max(...counts)
  if (max === min) return counts.map(() => high)
  return counts.map((c) => low + ((c - min) / (max - min)) * (high - low))
}
