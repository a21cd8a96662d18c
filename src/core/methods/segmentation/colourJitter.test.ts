import fs from 'node:fs'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { colourJitter, NO_JITTER } from './colourJitter'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

interface Reference {
  height: number
  width: number
  image: number[]
  cases: {
    brightness: number
    contrast: number
    saturation: number
    hue: number
    grayscale: boolean
    out: number[]
  }[]
}
// torchvision.transforms.functional on the same image (tests/fixtures/picie/colourJitterReference.py).
const ref = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '../../../../tests/fixtures/picie/colourJitterReference.json'),
    'utf8',
  ),
) as Reference

describe("PiCIE's colour jitter, as torchvision does it on [0, 1] pixels", () => {
  it('matches torchvision brightness → contrast → saturation → hue (→ grayscale)', () => {
    const image = tf.tensor4d(ref.image, [1, ref.height, ref.width, 3])
    for (const c of ref.cases) {
      const out = Array.from(colourJitter(image, c).dataSync())
      // torchvision's grayscale weighs red 0.2989 where PIL (and we) use 0.299.
      const worst = Math.max(...out.map((v, i) => Math.abs(v - c.out[i])))
      expect(worst).toBeLessThan(2e-4)
    }
  })
  it('hue alone keeps luma-free greys and turns pure red by the asked fraction of the circle', () => {
    const px = tf.tensor4d([1, 0, 0, 0.5, 0.5, 0.5], [1, 1, 2, 3])
    const third = Array.from(colourJitter(px, { ...NO_JITTER, hue: 1 / 3 }).dataSync())
    expect(third.map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0, 1, 0, 0.5, 0.5, 0.5])
    expect(Array.from(colourJitter(px, NO_JITTER).dataSync())).toEqual([1, 0, 0, 0.5, 0.5, 0.5])
  })
  it('clamps to [0, 1]', () => {
    const px = tf.tensor4d([0.9, 0.8, 0.1], [1, 1, 1, 3])
    const out = colourJitter(px, { ...NO_JITTER, brightness: 1.3, saturation: 1.3 }).dataSync()
    expect(Math.max(...out)).toBeLessThanOrEqual(1)
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0)
  })
})
