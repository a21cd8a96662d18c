import * as tf from '@tensorflow/tfjs'
import { inOrder } from '../../data/inOrder'
import { prefetched } from '../../data/prefetch'
import {
  scoreProbabilities,
  type ClassificationScores,
  type LabelKind,
} from '../../eval/classificationScores'
import {
  classificationLoss,
  classProbabilities,
  type ClassificationLossKind,
  type LossOptions,
} from './classificationLoss'
import type { ClassifierNet } from './classifierNet'
import { imageBatch, sampleCount, targetBatch, type ClassificationSet } from './classificationData'
import { averageOverTiles } from './tileAveraging'

/**
 * A classifier on a split, in eval mode, batch by batch: per-sample probabilities and the mean loss,
 * then scores per image (tiles averaged back to their image).
 */
export interface SetEvaluation {
  /** Mean training loss over the samples. NaN when the set has no targets. */
  loss: number
  scores: ClassificationScores | null
  imageIds: number[]
  /** images × classes */
  probabilities: Float32Array
}

export async function evaluateSet(
  net: ClassifierNet,
  set: ClassificationSet,
  size: number,
  kind: LabelKind,
  loss: { kind: ClassificationLossKind; options: LossOptions },
  batchSize = 16,
): Promise<SetEvaluation> {
  const n = sampleCount(set)
  const probs = new Float32Array(n * net.classes)
  let lossSum = 0
  net.train(false)
  try {
    const plan = inOrder(n, batchSize)
    let k = 0
    for await (const pixels of prefetched(plan, (idx) => set.read(idx))) {
      const idx = plan[k++]
      const start = idx[0]
      const [p, l] = tf.tidy(() => {
        const logits = net.forward(imageBatch(pixels, size))
        const l = set.targets
          ? classificationLoss(loss.kind, logits, targetBatch(set, net.classes, idx), loss.options)
          : tf.scalar(NaN)
        return [classProbabilities(kind, logits), l]
      })
      probs.set(p.dataSync(), start * net.classes)
      lossSum += l.dataSync()[0] * idx.length
      tf.dispose([p, l])
    }
  } finally {
    net.train(true)
  }
  const images = averageOverTiles(set.ids, probs, net.classes, set.targets)
  return {
    loss: n ? lossSum / n : NaN,
    scores:
      images.targets && images.imageIds.length
        ? scoreProbabilities(kind, images.targets, images.probabilities, net.classes)
        : null,
    imageIds: images.imageIds,
    probabilities: images.probabilities,
  }
}
