import * as tf from '@tensorflow/tfjs'
import type { LabelKind } from '../../eval/classificationScores'
import { sigmoidFocalLoss } from './focalLoss'

/**
 * The heads' losses for both label kinds. The project's label mode decides the head:
 * multi-class → softmax over classes, cross-entropy (ISIC-2017's three classes, Dermofit's ten);
 * multi-label → a sigmoid per class, binary cross-entropy or CASS's sigmoid focal loss (Dermatomyositis:
 * an image may carry none or several labels). Targets are [N, C]: one-hot, or 0/1 per label.
 */
export type ClassificationLossKind = 'cross-entropy' | 'binary-cross-entropy' | 'focal'

export const CLASSIFICATION_LOSSES: readonly ClassificationLossKind[] = [
  'cross-entropy',
  'binary-cross-entropy',
  'focal',
]

/** What a label mode trains with unless the method says otherwise (CASS: focal). */
export function defaultLossFor(kind: LabelKind): ClassificationLossKind {
  return kind === 'multi-class' ? 'cross-entropy' : 'binary-cross-entropy'
}

function checkShapes(name: string, logits: tf.Tensor, targets: tf.Tensor): void {
  if (logits.rank !== 2 || targets.shape.join() !== logits.shape.join())
    throw new Error(
      `${name}: targets [${targets.shape}] must match logits [${logits.shape}] (images × classes)`,
    )
}

/** torch's CrossEntropyLoss (mean over images) with one-hot targets. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  checkShapes('cross-entropy', logits, targets)
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar)
}

/** torch's BCEWithLogitsLoss (mean over images and classes), in its stable form. */
export function binaryCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  checkShapes('binary cross-entropy', logits, targets)
  return tf.tidy(() => {
    // max(x, 0) − x·y + log(1 + e^−|x|)
    const loss = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, targets)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    )
    return tf.mean(loss) as tf.Scalar
  })
}

export interface LossOptions {
  focalAlpha?: number
  focalGamma?: number
  classWeights?: readonly number[]
}

export function classificationLoss(
  kind: ClassificationLossKind,
  logits: tf.Tensor2D,
  targets: tf.Tensor2D,
  opts: LossOptions = {},
): tf.Scalar {
  switch (kind) {
    case 'cross-entropy':
      return softmaxCrossEntropy(logits, targets)
    case 'binary-cross-entropy':
      return binaryCrossEntropy(logits, targets)
    case 'focal':
      return sigmoidFocalLoss(logits, targets, {
        alpha: opts.focalAlpha,
        gamma: opts.focalGamma,
        classWeights: opts.classWeights,
      })
  }
}

/** Per-class probabilities the way the head was trained: softmax (multi-class) or a sigmoid per class. */
export function classProbabilities(kind: LabelKind, logits: tf.Tensor2D): tf.Tensor2D {
  return kind === 'multi-class' ? tf.softmax(logits) : tf.sigmoid(logits)
}

/** A loss must fit the label mode: cross-entropy over a softmax assumes exactly one class per image. */
export function checkLossForLabels(loss: ClassificationLossKind, kind: LabelKind): void {
  if (loss === 'cross-entropy' && kind === 'multi-label')
    throw new Error(
      'Softmax cross-entropy assumes one class per image; this project is multi-label (use binary-cross-entropy or focal)',
    )
}
