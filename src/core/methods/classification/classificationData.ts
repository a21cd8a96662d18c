import * as tf from '@tensorflow/tfjs'
import { trainingAugmentation } from '../../data/trainingAugmentation'
import type { LabelKind } from '../../eval/classificationScores'
import { normalizeRgb } from '../segmentation/normalizeRgb'

/**
 * A classification dataset as the methods see it: square 8-bit RGB samples of one size with image-level
 * targets, and no reference to a project. A sample is a whole image resized, or one tile of a tiled slide
 * carrying its image's labels; `ids` says which image each sample came from, so per-tile scores can be
 * averaged back to the image. `unlabelled` never carries targets. Pixels are read batch by batch (from a
 * project: the data layer's batch reader), so a run's memory follows its batch size, not its dataset.
 */
export interface ClassificationSet {
  /** The image each sample came from (repeated for the tiles of one slide). */
  ids: number[]
  /** count × classes: one-hot (multi-class) or 0/1 per label (multi-label); null when unlabelled. */
  targets: Float32Array | null
  /** 8-bit RGB of the given samples, indices.length × size × size × 3, NHWC (normalised per batch). */
  read(indices: readonly number[]): Promise<Uint8Array>
}

/** A set held in memory (constructed data, tests). */
export function inMemorySet(
  ids: number[],
  pixels: Uint8Array,
  targets: Float32Array | null,
  size: number,
): ClassificationSet {
  const per = size * size * 3
  if (pixels.length !== ids.length * per)
    throw new Error(`${pixels.length} pixel values for ${ids.length} images of ${size}×${size}×3`)
  return {
    ids,
    targets,
    read: async (indices) => {
      const out = new Uint8Array(indices.length * per)
      indices.forEach((i, k) => {
        if (!(i >= 0 && i < ids.length)) throw new Error(`No sample ${i} (the set holds ${ids.length})`)
        out.set(pixels.subarray(i * per, (i + 1) * per), k * per)
      })
      return out
    },
  }
}

export interface ClassificationData {
  size: number
  classes: number
  /** Class names in target order, for per-class scores. */
  classNames: string[]
  /** The project's label mode: it decides the head (softmax or a sigmoid per class). */
  labelKind: LabelKind
  labelled: ClassificationSet
  unlabelled: ClassificationSet
  val: ClassificationSet
  test: ClassificationSet
  /** Fingerprint of the images, labels and labelled selection, recorded with each run. */
  datasetVersion: string
  /**
   * Fingerprint of the training images alone (labelled and unlabelled, at this size and preprocessing):
   * what a self-supervised pretraining sees, so one pretraining serves every label fraction.
   */
  trainImagesVersion: string
}

export function sampleCount(set: ClassificationSet): number {
  return set.ids.length
}

/**
 * Read pixels of a batch ([n × size × size × 3] 8-bit) as normalised images [n, size, size, 3]. With
 * `random`, each sample gets the training augmentation (the data layer's random quarter turn + flip, or a
 * free rotation) first.
 */
export function imageBatch(pixels: Uint8Array, size: number, random?: () => number): tf.Tensor4D {
  const per = size * size * 3
  const n = pixels.length / per
  const out = new Float32Array(n * per)
  for (let k = 0; k < n; k++) {
    const data = pixels.subarray(k * per, (k + 1) * per)
    const augmented = random
      ? trainingAugmentation({ data, width: size, height: size, channels: 3 }, null, random, { size }).image
          .data
      : data
    normalizeRgb(augmented, out, k * per)
  }
  return tf.tensor4d(out, [n, size, size, 3])
}

export function targetBatch(
  set: ClassificationSet,
  classes: number,
  indices: readonly number[],
): tf.Tensor2D {
  if (!set.targets) throw new Error('These images carry no labels')
  const out = new Float32Array(indices.length * classes)
  indices.forEach((i, k) => out.set(set.targets!.subarray(i * classes, (i + 1) * classes), k * classes))
  return tf.tensor2d(out, [indices.length, classes])
}

/** Training-set count of each class (images carrying it), for CASS's class weights. */
export function classCounts(set: ClassificationSet, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0)
  if (!set.targets) return counts
  for (let i = 0; i < set.targets.length; i++) if (set.targets[i] > 0.5) counts[i % classes]++
  return counts
}

export function checkClassificationData(data: ClassificationData): void {
  const { size, classes } = data
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`Image size must be a positive integer, got ${size}`)
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`A classifier needs classes; the project has ${classes}`)
  if (data.classNames.length !== classes)
    throw new Error(`${data.classNames.length} class names for ${classes} classes`)
  for (const name of ['labelled', 'unlabelled', 'val', 'test'] as const) {
    const set = data[name]
    const n = sampleCount(set)
    if (name === 'unlabelled') {
      if (set.targets) throw new Error('unlabelled images must not carry labels')
      continue
    }
    if (!set.targets || set.targets.length !== n * classes)
      throw new Error(`${name}: every image needs ${classes} label values`)
    if (data.labelKind === 'multi-class') {
      for (let i = 0; i < n; i++) {
        let sum = 0
        for (let c = 0; c < classes; c++) sum += set.targets[i * classes + c]
        if (sum !== 1)
          throw new Error(`${name}: image ${set.ids[i]} needs exactly one class in a multi-class project`)
      }
    }
  }
  if (data.labelled.ids.length === 0) throw new Error('No labelled training images: label some images first')
  if (data.test.ids.length === 0) throw new Error('The test split holds no labelled images: nothing to score')
}
