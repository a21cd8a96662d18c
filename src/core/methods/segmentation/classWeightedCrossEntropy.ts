import * as tf from '@tensorflow/tfjs'
import { inOrder } from '../../data/inOrder'
import type { SegmentationSet } from './segmentationData'

/**
 * DEDL's supervised loss (pranavsinghps1/DEDL, Segmentation/Segmentation.ipynb, the `criterion` cell):
 *   nn.CrossEntropyLoss(reduction='sum', weight=torch.tensor([0.1479139275021023, 0.8520860724978977]))
 * The weights are the Dermatomyositis training masks' pixel frequencies swapped: background, the common
 * class, is weighted by the foreground's share (0.148) and foreground by the background's (0.852). The
 * notebook hard-codes the two numbers; we compute them the same way from the run's labelled masks. For
 * two classes "the other class's share" is the inverse frequency normalised to sum 1,
 *   w_c = (1 / n_c) / Σ_k (1 / n_k),
 * which is also how this generalises to more classes. A class absent from the labelled masks never
 * appears as a target, so its weight is 0.
 */
export function inverseFrequencyWeights(counts: readonly number[]): number[] {
  if (counts.some((c) => !(c >= 0))) throw new Error(`class pixel counts must be ≥ 0, got [${counts}]`)
  const inverse = counts.map((c) => (c > 0 ? 1 / c : 0))
  const total = inverse.reduce((a, b) => a + b, 0)
  if (total === 0) throw new Error('The labelled masks hold no pixels: no class weights')
  return inverse.map((v) => v / total)
}

/** Pixels of each class over every mask of `set` (read batch by batch, nothing held). */
export async function classPixelCounts(set: SegmentationSet, classes: number): Promise<number[]> {
  const counts = new Array<number>(classes).fill(0)
  for (const idx of inOrder(set.ids.length, 16)) {
    const b = await set.read(idx)
    if (!b.masks) throw new Error('These images carry no masks: no class weights')
    for (let i = 0; i < b.masks.length; i++) {
      const c = b.masks[i]
      if (c >= classes) throw new Error(`A mask holds class ${c}, but the run has ${classes} classes`)
      counts[c]++
    }
  }
  return counts
}

/**
 * torch CrossEntropyLoss(weight, reduction='sum') on logits [N, H, W, C] and labels [N, H, W]:
 * Σ over pixels of w[yᵢ]·(−log softmax(logits)ᵢ[yᵢ]). DEDL sums (no mean), so the loss grows with the
 * batch's pixel count; its optimiser, Adam, is invariant to that scale apart from ε and the L2 term.
 */
export function classWeightedCrossEntropy(
  logits: tf.Tensor4D,
  labels: tf.Tensor3D,
  weights: tf.Tensor1D,
): tf.Scalar {
  const classes = logits.shape[3]
  if (weights.shape[0] !== classes)
    throw new Error(`classWeightedCrossEntropy: ${weights.shape[0]} weights for ${classes} classes`)
  const [n, h, w] = logits.shape
  if (labels.rank !== 3 || labels.shape[0] !== n || labels.shape[1] !== h || labels.shape[2] !== w)
    throw new Error(
      `classWeightedCrossEntropy: labels of shape [${labels.shape}] do not match logits [${logits.shape}]`,
    )
  return tf.tidy(() => {
    const target = tf.oneHot(labels.toInt(), classes).toFloat()
    const pixelWeight = tf.sum(tf.mul(target, weights), -1)
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), target), -1))
    return tf.sum(tf.mul(pixelWeight, nll)) as tf.Scalar
  })
}
