import * as tf from '@tensorflow/tfjs'
import { microBatchSlices, type MicroBatch } from '../../engine/gradientAccumulation'
import type { TrainingOptimizer } from '../../engine/trainingOptimizer'
import { crossTeachingLoss, pseudoPair, supervisedPair } from './crossTeachingLoss'
import { batchPart } from './segmentationMemoryPlan'
import type { SegmentationNet } from './segmentationNet'

/** One cross-teaching iteration's loss terms (each net's supervised and pseudo-label terms, and their sum). */
interface CrossTeachingStepLosses {
  total: number
  supervisedCnn: number
  pseudoCnn: number
  supervisedSwin: number
  pseudoSwin: number
}

/**
 * One optimiser step of cross teaching on a batch of `labelled` images followed by unlabelled ones, whole or
 * in micro-batches (gradientAccumulation.ts). The batch is cut in order, so a micro-batch may hold labelled
 * images, unlabelled ones or both (down to one image per micro-batch, when one Swin-UNet image is all the
 * heap holds): its supervised terms are weighted by its share of the labelled images and its pseudo-label
 * terms by its share of the unlabelled ones. CE is a mean over pixels, so its gradients add up exactly;
 * SSL4MIS's Dice sums over the whole half before dividing, so split it becomes the share-weighted mean of each
 * part's Dice — close, not equal. BatchNorm (the U-Net's): see segmentationMemoryPlan.ts. Whole (one
 * micro-batch) it is exactly SSL4MIS's step.
 */
export function crossTeachingStep(
  optimizer: TrainingOptimizer,
  nets: { cnn: SegmentationNet; swin: SegmentationNet },
  x: tf.Tensor4D,
  y: tf.Tensor3D,
  lambda: number,
  microBatches: number,
  lr: number,
): CrossTeachingStepLosses {
  const labelled = y.shape[0]
  const unlabelled = x.shape[0] - labelled
  const shown = { supervisedCnn: 0, pseudoCnn: 0, supervisedSwin: 0, pseudoSwin: 0 }
  const variables = [...nets.cnn.parameters(), ...nets.swin.parameters()]
  const parts = microBatchSlices(x.shape[0], microBatches)
  if (parts.length === 1) {
    const total = optimizer.minimize(
      () => {
        const t = crossTeachingLoss(
          nets.cnn.forward(x) as tf.Tensor4D,
          nets.swin.forward(x) as tf.Tensor4D,
          y,
          lambda,
        )
        shown.supervisedCnn = t.supervised1.dataSync()[0]
        shown.supervisedSwin = t.supervised2.dataSync()[0]
        shown.pseudoCnn = t.pseudo1.dataSync()[0]
        shown.pseudoSwin = t.pseudo2.dataSync()[0]
        return t.total
      },
      variables,
      lr,
    )
    return { total, ...shown }
  }
  const lossOf = (part: MicroBatch): tf.Scalar => {
    const images = batchPart(x, part)
    const logits1 = nets.cnn.forward(images) as tf.Tensor4D
    const logits2 = nets.swin.forward(images) as tf.Tensor4D
    // Rows [0, nl) of this part are labelled, the rest unlabelled.
    const nl = Math.max(0, Math.min(part.start + part.count, labelled) - part.start)
    const nu = part.count - nl
    const terms: tf.Scalar[] = []
    if (nl > 0) {
      const s = supervisedPair(
        batchPart(logits1, { start: 0, count: nl }),
        batchPart(logits2, { start: 0, count: nl }),
        batchPart(y, { start: part.start, count: nl }),
      )
      const share = nl / labelled
      shown.supervisedCnn += share * s.supervised1.dataSync()[0]
      shown.supervisedSwin += share * s.supervised2.dataSync()[0]
      terms.push(tf.mul(tf.add(s.supervised1, s.supervised2), share))
    }
    if (nu > 0) {
      const p = pseudoPair(
        batchPart(logits1, { start: nl, count: nu }),
        batchPart(logits2, { start: nl, count: nu }),
      )
      const share = nu / unlabelled
      shown.pseudoCnn += share * p.pseudo1.dataSync()[0]
      shown.pseudoSwin += share * p.pseudo2.dataSync()[0]
      terms.push(tf.mul(tf.add(p.pseudo1, p.pseudo2), lambda * share))
    }
    return tf.addN(terms) as tf.Scalar
  }
  // Each part's loss is already weighted by its shares: accumulate with weight 1.
  const total = optimizer.minimizeInMicroBatches(
    lossOf,
    parts.map((p) => ({ ...p, weight: 1 })),
    variables,
    lr,
  )
  return { total, ...shown }
}
