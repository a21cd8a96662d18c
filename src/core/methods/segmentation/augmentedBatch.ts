import * as tf from '@tensorflow/tfjs'
import { trainingAugmentation } from '../../data/trainingAugmentation'
import { normalizeRgb } from './normalizeRgb'
import { gatherImages, gatherMasks, type SegmentationSet } from './segmentationData'

/**
 * A training batch with the paper's augmentation (the data layer's SSL4MIS-style random quarter turn
 * + flip or free rotation), drawn per image, applied to the 8-bit pixels and the mask alike, then
 * normalised. Sets without 8-bit pixels (generated test data) are batched unaugmented.
 */
export function augmentedBatch(
  set: SegmentationSet,
  size: number,
  indices: number[],
  random: () => number,
  withMasks: boolean,
): { images: tf.Tensor4D; masks: tf.Tensor3D | null } {
  if (!set.raw) {
    return {
      images: gatherImages(set, size, indices),
      masks: withMasks ? gatherMasks(set, size, indices) : null,
    }
  }
  if (withMasks && !set.masks) throw new Error('augmentedBatch: these images carry no masks')
  const per = size * size
  const images = new Float32Array(indices.length * per * 3)
  const masks = withMasks ? new Int32Array(indices.length * per) : null
  indices.forEach((i, k) => {
    const image = {
      data: set.raw!.subarray(i * per * 3, (i + 1) * per * 3),
      width: size,
      height: size,
      channels: 3,
    }
    const mask = masks
      ? { data: set.masks!.subarray(i * per, (i + 1) * per), width: size, height: size, channels: 1 }
      : null
    const out = trainingAugmentation(image, mask, random, { size })
    normalizeRgb(out.image.data, images, k * per * 3)
    if (masks && out.mask) masks.set(out.mask.data, k * per)
  })
  return {
    images: tf.tensor4d(images, [indices.length, size, size, 3]),
    masks: masks ? tf.tensor3d(masks, [indices.length, size, size], 'int32') : null,
  }
}
