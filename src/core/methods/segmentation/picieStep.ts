import * as tf from '@tensorflow/tfjs'
import { microBatchSlices } from '../../engine/gradientAccumulation'
import type { TrainingOptimizer } from '../../engine/trainingOptimizer'
import { viewFeatures } from './picieFeatures'
import { picieLoss } from './picieLoss'
import type { PicieViewParams } from './picieViews'
import { batchPart } from './segmentationMemoryPlan'
import type { SegmentationNet } from './segmentationNet'

/** One view's frozen classifier and this batch's labels under it. */
export interface PicieStepView {
  centroids: tf.Tensor2D
  /** The balanced CE weights (one per cluster), as a tensor and as numbers. */
  weights: tf.Tensor1D
  weightValues: readonly number[]
  /** Each batch image's cluster label per feature cell. */
  labels: Uint16Array[]
}

/**
 * One PiCIE training step on a batch, whole or in micro-batches (gradientAccumulation.ts). The balanced CE
 * is a weighted mean, Σ w·nll / Σ w: each micro-batch divides by the whole batch's Σ w (known before the
 * step: the labels come from k-means), so the parts' gradients add up to the batch's exactly. BatchNorm:
 * see segmentationMemoryPlan.ts.
 */
export function picieStep(
  optimizer: TrainingOptimizer,
  net: SegmentationNet,
  x: tf.Tensor4D,
  params: PicieViewParams[],
  views: [PicieStepView, PicieStepView],
  cell: number,
  microBatches: number,
  lr: number,
): { total: number; within: number; across: number } {
  const n = x.shape[0]
  const parts = microBatchSlices(n, microBatches)
  const shown = { within: 0, across: 0 }
  const labelsOf = (v: PicieStepView, start: number, count: number) => {
    const per = v.labels[0].length
    const out = new Int32Array(count * per)
    for (let j = 0; j < count; j++) out.set(v.labels[start + j], j * per)
    return tf.tensor1d(out, 'int32')
  }
  const weightTotal = (v: PicieStepView) =>
    v.labels.reduce((sum, l) => l.reduce((s, c) => s + v.weightValues[c], sum), 0)
  const totals = parts.length > 1 ? views.map(weightTotal) : [undefined, undefined]
  const lossOf = (start: number, count: number) => {
    const images = parts.length > 1 ? batchPart(x, { start, count }) : x
    const partParams = params.slice(start, start + count)
    const [label1, label2] = views.map((v) => labelsOf(v, start, count))
    const t = picieLoss(
      {
        features: viewFeatures(net, images, partParams, 1, cell),
        centroids: views[0].centroids,
        labels: label1,
        weights: views[0].weights,
        weightTotal: totals[0],
      },
      {
        features: viewFeatures(net, images, partParams, 2, cell),
        centroids: views[1].centroids,
        labels: label2,
        weights: views[1].weights,
        weightTotal: totals[1],
      },
    )
    shown.within += t.within.dataSync()[0]
    shown.across += t.across.dataSync()[0]
    return t.total
  }
  const total =
    parts.length === 1
      ? optimizer.minimize(() => lossOf(0, n), net.parameters(), lr)
      : optimizer.minimizeInMicroBatches(
          (part) => lossOf(part.start, part.count),
          // Each part's loss is already its exact share (divided by the batch's Σ w): weight 1.
          parts.map((p) => ({ ...p, weight: 1 })),
          net.parameters(),
          lr,
        )
  return { total, ...shown }
}
