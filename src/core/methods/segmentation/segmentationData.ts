import * as tf from '@tensorflow/tfjs'
import { inOrder } from '../../data/inOrder'
import { prefetched } from '../../data/prefetch'

/**
 * A segmentation dataset as the methods see it: square images of one size, read batch by batch (from a
 * project's blobs, see dataset.ts, or from memory in tests), with no reference to a project. `labelled`
 * carries masks; `unlabelled` never does, so a method cannot peek at labels it is not meant to have.
 * Nothing here holds a whole split: memory stays bounded by the batch size.
 */
export interface SegmentationSet {
  /** Image id of each sample (a tiled image has one sample per tile), for tracing predictions back. */
  ids: number[]
  /** Whether `read` gives masks. */
  hasMasks: boolean
  /** The samples at `indices` (repeats allowed), in that order. */
  read(indices: number[]): Promise<SegmentationBatch>
}

export interface SegmentationBatch {
  count: number
  /** count × size × size × 3, preprocessed (ImageNet-normalised) pixels, NHWC. */
  images: Float32Array
  /** count × size × size class indices; null for unlabelled images. */
  masks: Uint8Array | null
  /** The same images as 8-bit RGB before normalisation, when available: what augmentation works on. */
  raw: Uint8Array | null
}

export interface SegmentationData {
  size: number
  /** Classes including background (2 for foreground/background); a mask pixel's value is its class. */
  classes: number
  /** Name of each class by value (0 background), for per-class scores; `class k` where missing. */
  classNames?: string[]
  labelled: SegmentationSet
  unlabelled: SegmentationSet
  val: SegmentationSet
  test: SegmentationSet
  /** Fingerprint of the images and the labelled selection, recorded on each run. */
  datasetVersion: string
}

/** How many batches are read ahead of training (decoding overlaps the step; memory is 3 batches). */
export const PREFETCH_BATCHES = 2

/** The batches of `plan` read from `set` in order, a few ahead. */
export function readBatches(
  set: SegmentationSet,
  plan: Iterable<number[]>,
): AsyncGenerator<SegmentationBatch> {
  return prefetched(plan, (idx) => set.read(idx), PREFETCH_BATCHES)
}

export function batchImages(b: SegmentationBatch, size: number): tf.Tensor4D {
  return tf.tensor4d(b.images, [b.count, size, size, 3])
}

export function batchMasks(b: SegmentationBatch, size: number, name = 'set'): tf.Tensor3D {
  if (!b.masks) throw new Error(`The ${name} images carry no masks`)
  return tf.tensor3d(Int32Array.from(b.masks), [b.count, size, size], 'int32')
}

/** A set held in memory (generated test data, small fixtures): same contract as a project's. */
export function memorySet(
  size: number,
  ids: number[],
  images: Float32Array,
  masks: Uint8Array | null,
  raw: Uint8Array | null = null,
): SegmentationSet {
  const per = size * size
  if (images.length !== ids.length * per * 3)
    throw new Error(
      `image buffer holds ${images.length / (per * 3)} ${size}×${size}×3 images for ${ids.length} ids`,
    )
  if (masks && masks.length !== ids.length * per) throw new Error(`every image needs a ${size}×${size} mask`)
  const pick = <T extends Uint8Array | Float32Array>(
    src: T,
    make: (n: number) => T,
    width: number,
    idx: number[],
  ) => {
    const out = make(idx.length * width)
    idx.forEach((i, k) => {
      if (!(i >= 0 && i < ids.length)) throw new Error(`No sample ${i} (the set holds ${ids.length})`)
      out.set(src.subarray(i * width, (i + 1) * width), k * width)
    })
    return out
  }
  return {
    ids,
    hasMasks: masks !== null,
    read: async (idx) => ({
      count: idx.length,
      images: pick(images, (n) => new Float32Array(n), per * 3, idx),
      masks: masks ? pick(masks, (n) => new Uint8Array(n), per, idx) : null,
      raw: raw ? pick(raw, (n) => new Uint8Array(n), per * 3, idx) : null,
    }),
  }
}

/** Two sets read as one (PiCIE trains on labelled and unlabelled images alike, ignoring masks). */
export function concatSets(a: SegmentationSet, b: SegmentationSet): SegmentationSet {
  const na = a.ids.length
  return {
    ids: [...a.ids, ...b.ids],
    hasMasks: a.hasMasks && b.hasMasks,
    read: async (idx) => {
      const fromA = idx.filter((i) => i < na)
      const fromB = idx.filter((i) => i >= na).map((i) => i - na)
      const [ba, bb] = await Promise.all([
        fromA.length ? a.read(fromA) : null,
        fromB.length ? b.read(fromB) : null,
      ])
      const parts = [ba, bb].filter((p): p is SegmentationBatch => p !== null)
      const per = (parts[0]?.images.length ?? 0) / Math.max(1, parts[0]?.count ?? 1)
      const images = new Float32Array(idx.length * per)
      const raw = parts.every((p) => p.raw) ? new Uint8Array(idx.length * per) : null
      const masks = parts.every((p) => p.masks) ? new Uint8Array((idx.length * per) / 3) : null
      let ia = 0
      let ib = 0
      idx.forEach((i, k) => {
        const [src, j] = i < na ? [ba!, ia++] : [bb!, ib++]
        images.set(src.images.subarray(j * per, (j + 1) * per), k * per)
        raw?.set(src.raw!.subarray(j * per, (j + 1) * per), k * per)
        masks?.set(src.masks!.subarray((j * per) / 3, ((j + 1) * per) / 3), (k * per) / 3)
      })
      return { count: idx.length, images, masks, raw }
    },
  }
}

/** Every mask of a (small) set, one array per sample: for tests and baselines, never for a project's data. */
export async function allMasks(set: SegmentationSet, size: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for (const idx of inOrder(set.ids.length, 32)) {
    const b = await set.read(idx)
    if (!b.masks) throw new Error('These images carry no masks')
    for (let k = 0; k < b.count; k++) out.push(b.masks.slice(k * size * size, (k + 1) * size * size))
  }
  return out
}

/** `needsLabels: false` for unsupervised methods (PiCIE), which train on every image and ignore masks. */
export function checkSegmentationData(data: SegmentationData, needsLabels = true): void {
  for (const name of ['labelled', 'val', 'test'] as const) {
    const set = data[name]
    if (set.ids.length > 0 && !set.hasMasks) throw new Error(`${name}: every image needs a mask`)
  }
  if (data.unlabelled.hasMasks && data.unlabelled.ids.length > 0)
    throw new Error('unlabelled images must not carry masks')
  if (needsLabels && data.labelled.ids.length === 0) {
    throw new Error('No labelled training images: paint or import some masks first')
  }
  if (data.labelled.ids.length + data.unlabelled.ids.length === 0) throw new Error('No training images')
  if (data.test.ids.length === 0)
    throw new Error('The test split holds no images with masks: nothing to score')
}
