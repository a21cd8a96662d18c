import * as tf from '@tensorflow/tfjs'

/**
 * What self-supervised pretraining reads: the training images without labels, whole and resized to
 * one square size (the paper: 224 px), as 8-bit RGB, image after image ([count, size, size, 3]).
 */
export interface UnlabelledImages {
  count: number
  size: number
  pixels: Uint8Array
}

export function checkUnlabelledImages(images: UnlabelledImages): void {
  const { count, size, pixels } = images
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`pretraining needs at least one image, got ${count}`)
  if (!Number.isInteger(size) || size < 8)
    throw new Error(`pretraining image size must be ≥ 8 px, got ${size}`)
  if (pixels.length !== count * size * size * 3) {
    throw new Error(`pretraining images: ${pixels.length} bytes for ${count} RGB images of ${size}² px`)
  }
}

/** The chosen images as floats in [0, 1]: [indices.length, size, size, 3]. */
export function unitBatch(images: UnlabelledImages, indices: readonly number[]): tf.Tensor4D {
  const per = images.size * images.size * 3
  const out = new Float32Array(indices.length * per)
  indices.forEach((i, k) => {
    const src = images.pixels.subarray(i * per, (i + 1) * per)
    for (let p = 0; p < per; p++) out[k * per + p] = src[p] / 255
  })
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
