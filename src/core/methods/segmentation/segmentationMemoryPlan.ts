import * as tf from '@tensorflow/tfjs'
import type { Machine } from '../../engine/machine'
import type { MicroBatch } from '../../engine/gradientAccumulation'
import type { OptimizerKind } from '../../engine/memoryEstimate'
import { planMicroBatches, type MicroBatchPlan } from '../../engine/microBatchPlan'
import type { OptimizerSettings } from '../../engine/optimizerConfig'
import type { SegmentationNet } from './segmentationNet'

/**
 * The default of every segmentation method's hyperparameter `microBatches` (gradient accumulation, not in
 * the references, which ran on GPUs): 0 = as many micro-batches as the backend's memory needs (planned
 * below), n > 0 = n.
 */
export const PLANNED_MICRO_BATCHES = { microBatches: 0 } as const

/**
 * How many micro-batches a segmentation step is cut into so a paper-sized batch fits the backend (wasm: one
 * 4 GiB heap). At the paper preset's sizes one step does not fit whole: the ResNet-34 U-Net keeps about
 * 145 MB of activations per 224-px image (batch 16: 4.5 GB with the backward pass's working memory), the
 * Swin-UNet about 1.2 GB per image, PiCIE's ResNet-34 FPN about 365 MB per 480-px image (batch 64: 23 GB).
 * Without the split tfjs-wasm's allocator runs out of heap mid-step and the process dies with "memory access
 * out of bounds" (bench:train's paper-scale case). `requested` > 0 is the run's own count (hyperparameter
 * microBatches), 0 = planned from one measured image.
 *
 * BatchNorm under micro-batches: in training mode each micro-batch is normalised with its own mean and
 * variance (not the whole batch's), and the running averages take one momentum update per micro-batch —
 * what PyTorch does when the same accumulation is written by hand. Everything else is exact (see each
 * method's step): losses that are sums or means over images are summed with each part's share.
 */
export async function planSegmentationMicroBatches(
  nets: SegmentationNet[],
  size: number,
  batchSize: number,
  settings: Pick<OptimizerSettings, 'optimizer' | 'momentum'>,
  requested: number,
  /** The machine, from the run's host (TrainContext's machine). */
  machine: Machine | undefined,
  /**
   * Everything one image goes through in a step that is back-propagated, when more than each net's forward
   * pass: PiCIE's two views, each with its colour and crop transforms (about 1 GB an image at 480 px, where
   * its two bare forward passes are 690 MB).
   */
  forward: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[] = (x) => nets.map((n) => n.forward(x)),
): Promise<MicroBatchPlan> {
  return planMicroBatches({
    nets,
    forward,
    sampleShape: [size, size, 3],
    batchSize,
    optimizer: memoryOptimizerKind(settings),
    requested,
    machine,
  })
}

function memoryOptimizerKind(s: Pick<OptimizerSettings, 'optimizer' | 'momentum'>): OptimizerKind {
  if (s.optimizer === 'adam') return 'adam'
  return s.momentum > 0 ? 'sgdMomentum' : 'sgd'
}

/** Rows [start, start + count) of a batch tensor. */
export function batchPart<T extends tf.Tensor>(t: T, part: Pick<MicroBatch, 'start' | 'count'>): T {
  return tf.slice(t, part.start, part.count) as T
}
