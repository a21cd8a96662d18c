import * as tf from '@tensorflow/tfjs'

/**
 * A segmentation dataset as the methods see it: preprocessed square images of one size, in memory,
 * with no reference to a project. `labelled` carries masks; `unlabelled` never does, so a method
 * cannot peek at labels it is not meant to have.
 */
export interface SegmentationSet {
  /** Image (or tile) ids, for tracing predictions back. */
  ids: number[]
  /** count × size × size × 3, preprocessed (normalised) pixels, NHWC. */
  images: Float32Array
  /** count × size × size class indices; null for unlabelled images. */
  masks: Uint8Array | null
  /** The same images as 8-bit RGB before normalisation, when available: what augmentation works on. */
  raw?: Uint8Array
}

export interface SegmentationData {
  size: number
  /** Classes including background (2 for foreground/background). */
  classes: number
  labelled: SegmentationSet
  unlabelled: SegmentationSet
  val: SegmentationSet
  test: SegmentationSet
  /** Fingerprint of the images and the labelled selection, recorded on each run. */
  datasetVersion: string
}

export function setCount(set: SegmentationSet, size: number): number {
  return set.images.length / (size * size * 3)
}

export function gatherImages(set: SegmentationSet, size: number, indices: number[]): tf.Tensor4D {
  const per = size * size * 3
  const out = new Float32Array(indices.length * per)
  indices.forEach((i, k) => out.set(set.images.subarray(i * per, (i + 1) * per), k * per))
  return tf.tensor4d(out, [indices.length, size, size, 3])
}

export function gatherMasks(
  set: SegmentationSet,
  size: number,
  indices: number[],
  name = 'set',
): tf.Tensor3D {
  if (!set.masks) throw new Error(`The ${name} images carry no masks`)
  const per = size * size
  const out = new Int32Array(indices.length * per)
  indices.forEach((i, k) => out.set(set.masks!.subarray(i * per, (i + 1) * per), k * per))
  return tf.tensor3d(out, [indices.length, size, size], 'int32')
}

/** Per-image mask views, for scoring. */
export function splitMasks(set: SegmentationSet, size: number, name = 'set'): Uint8Array[] {
  if (!set.masks) throw new Error(`The ${name} images carry no masks`)
  const per = size * size
  return Array.from({ length: set.masks.length / per }, (_, i) => set.masks!.subarray(i * per, (i + 1) * per))
}

/** `needsLabels: false` for unsupervised methods (PiCIE), which train on every image and ignore masks. */
export function checkSegmentationData(data: SegmentationData, needsLabels = true): void {
  const { size } = data
  for (const name of ['labelled', 'unlabelled', 'val', 'test'] as const) {
    const set = data[name]
    const n = set.images.length / (size * size * 3)
    if (!Number.isInteger(n))
      throw new Error(`${name}: image buffer is not a whole number of ${size}×${size}×3 images`)
    if (n !== set.ids.length) throw new Error(`${name}: ${set.ids.length} ids for ${n} images`)
    if (name === 'unlabelled' && set.masks) throw new Error('unlabelled images must not carry masks')
    if (name !== 'unlabelled' && n > 0 && (!set.masks || set.masks.length !== n * size * size)) {
      throw new Error(`${name}: every image needs a ${size}×${size} mask`)
    }
  }
  if (needsLabels && data.labelled.ids.length === 0) {
    throw new Error('No labelled training images: paint or import some masks first')
  }
  if (data.labelled.ids.length + data.unlabelled.ids.length === 0) throw new Error('No training images')
  if (data.test.ids.length === 0)
    throw new Error('The test split holds no images with masks: nothing to score')
}
