import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { augmentedBatch } from './augmentedBatch'
import { normalizeRgb } from './normalizeRgb'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('augmentedBatch', () => {
  // One 4×4 image whose red channel marks the mask: augmentation must move pixels and mask together.
  const size = 4
  const mask = Uint8Array.from([1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  const raw = new Uint8Array(size * size * 3)
  mask.forEach((m, p) => (raw[p * 3] = m ? 255 : 0))
  const batch = { count: 1, images: normalizeRgb(raw), masks: mask, raw }

  it('moves image and mask together, and changes the layout for some draws', () => {
    let changed = 0
    let s = 1
    const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
    for (let draw = 0; draw < 12; draw++) {
      const b = augmentedBatch(batch, size, random, true)
      const red = (b.images.arraySync() as number[][][][])[0].flat().map((px) => px[0] > 0)
      const m = Array.from(b.masks!.dataSync())
      // Rotations are nearest-neighbour and the mask is drawn on exact pixels: red ⇔ mask everywhere.
      expect(red.map((r) => (r ? 1 : 0))).toEqual(m)
      if (m.join() !== Array.from(mask).join()) changed++
      tf.dispose([b.images, b.masks!])
    }
    expect(changed).toBeGreaterThan(0)
  })
  it('batches sets without 8-bit pixels unaugmented', () => {
    const b = augmentedBatch({ ...batch, raw: null }, size, () => 0.99, true)
    expect(Array.from(b.masks!.dataSync())).toEqual(Array.from(mask))
  })
})
