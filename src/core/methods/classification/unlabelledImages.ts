import * as tf from '@tensorflow/tfjs'
import type { ClassificationData, ClassificationSet } from './classificationData'

/**
 * What self-supervised pretraining reads: the training images without their labels, whole and resized
 * to one square size (the paper: 224 px), as 8-bit RGB read batch by batch.
 */
export interface UnlabelledImages {
  count: number
  size: number
  /** 8-bit RGB of the given images, indices.length × size × size × 3. */
  read(indices: readonly number[]): Promise<Uint8Array>
}

/**
 * Every training image of a classification dataset, labelled or not, labels dropped: pretraining uses
 * them all (section 3.1: "for pretraining, we start with only images"); only fine-tuning is limited to
 * the label fraction.
 */
export function pretrainingImages(data: ClassificationData): UnlabelledImages {
  const sets: ClassificationSet[] = [data.labelled, data.unlabelled]
  const count = sets.reduce((n, s) => n + s.ids.length, 0)
  const per = data.size * data.size * 3
  return {
    count,
    size: data.size,
    async read(indices) {
      const out = new Uint8Array(indices.length * per)
      let offset = 0
      for (const set of sets) {
        const n = set.ids.length
        const mine = indices.map((i, k) => [i - offset, k]).filter(([i]) => i >= 0 && i < n)
        if (mine.length) {
          const pixels = await set.read(mine.map(([i]) => i))
          mine.forEach(([, k], j) => out.set(pixels.subarray(j * per, (j + 1) * per), k * per))
        }
        offset += n
      }
      return out
    },
  }
}

export function checkUnlabelledImages(images: UnlabelledImages): void {
  const { count, size } = images
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`pretraining needs at least one training image, got ${count}`)
  if (!Number.isInteger(size) || size < 8)
    throw new Error(`pretraining image size must be ≥ 8 px, got ${size}`)
}

/** The chosen images as floats in [0, 1]: [indices.length, size, size, 3]. */
export async function unitBatch(images: UnlabelledImages, indices: readonly number[]): Promise<tf.Tensor4D> {
  const pixels = await images.read(indices)
  const per = images.size * images.size * 3
  if (pixels.length !== indices.length * per) {
    throw new Error(`read ${pixels.length} bytes for ${indices.length} images of ${images.size}² px`)
  }
  const out = new Float32Array(pixels.length)
  for (let p = 0; p < pixels.length; p++) out[p] = pixels[p] / 255
  return tf.tensor4d(out, [indices.length, images.size, images.size, 3])
}

/** Shuffled batches of an epoch, the last partial one dropped (DINO's drop_last), at least one batch. */
export function epochBatches(count: number, batchSize: number, random: () => number): number[][] {
  const order = Array.from({ length: count }, (_, i) => i)
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const size = Math.min(batchSize, count)
  const batches: number[][] = []
  for (let s = 0; s + size <= count; s += size) batches.push(order.slice(s, s + size))
  return batches
}
