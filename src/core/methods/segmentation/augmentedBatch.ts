import * as tf from '@tensorflow/tfjs'
import { trainingAugmentation } from '../../data/trainingAugmentation'
import { normalizeRgb } from './normalizeRgb'
import { batchImages, batchMasks, type SegmentationBatch } from './segmentationData'

/**
 * A training batch with the paper's augmentation (the data layer's SSL4MIS-style random quarter turn
 * + flip or free rotation), drawn per image in batch order, applied to the 8-bit pixels and the mask
 * alike, then normalised. Batches without 8-bit pixels (generated test data) are batched unaugmented.
 */
export function augmentedBatch(
  batch: SegmentationBatch,
  size: number,
  random: () => number,
  withMasks: boolean,
): { images: tf.Tensor4D; masks: tf.Tensor3D | null } {
  if (!batch.raw) {
    return { images: batchImages(batch, size), masks: withMasks ? batchMasks(batch, size) : null }
  }
  if (withMasks && !batch.masks) throw new Error('augmentedBatch: these images carry no masks')
  const per = size * size
  const n = batch.count
  const images = new Float32Array(n * per * 3)
  const masks = withMasks ? new Int32Array(n * per) : null
  for (let k = 0; k < n; k++) {
    const image = {
      data: batch.raw.subarray(k * per * 3, (k + 1) * per * 3),
      width: size,
      height: size,
      channels: 3,
    }
    const mask = masks
      ? { data: batch.masks!.subarray(k * per, (k + 1) * per), width: size, height: size, channels: 1 }
      : null
    const out = trainingAugmentation(image, mask, random, { size })
    normalizeRgb(out.image.data, images, k * per * 3)
    if (masks && out.mask) masks.set(out.mask.data, k * per)
  }
  return {
    images: tf.tensor4d(images, [n, size, size, 3]),
    masks: masks ? tf.tensor3d(masks, [n, size, size], 'int32') : null,
  }
}

/** The batch as tensors, augmented when `augment` is on; `withMasks` for labelled batches. */
export function trainingBatch(
  batch: SegmentationBatch,
  size: number,
  augment: boolean,
  random: () => number,
  withMasks: boolean,
): { images: tf.Tensor4D; masks: tf.Tensor3D | null } {
  if (augment) return augmentedBatch(batch, size, random, withMasks)
  return { images: batchImages(batch, size), masks: withMasks ? batchMasks(batch, size) : null }
}
