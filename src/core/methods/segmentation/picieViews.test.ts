import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { IMAGENET_MEAN, IMAGENET_STD } from './normalizeRgb'
import { applyPhotometric, drawViewParams, PICIE_VIEW_DEFAULTS } from './picieViews'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

describe("PiCIE's views as its code draws them", () => {
  it('crops 0.5–1 of the side (res2 = int(rscale·res1)), not of the area', () => {
    // The smallest scale: half the side (an area crop would keep 1/√2 of it).
    expect(drawViewParams(16, PICIE_VIEW_DEFAULTS, () => 0).geometric.side).toBe(8)
    const random = lcg(3)
    const sides = Array.from(
      { length: 2000 },
      () => drawViewParams(40, PICIE_VIEW_DEFAULTS, random).geometric,
    )
    expect(Math.min(...sides.map((g) => g.side))).toBe(20)
    expect(Math.max(...sides.map((g) => g.side))).toBeGreaterThanOrEqual(39) // int(): 40 only at scale 1
    // Uniform in the side: about half the crops are below 30 of 40 cells (area-uniform: about 30 %).
    const below = sides.filter((g) => g.side < 30).length / sides.length
    expect(below).toBeGreaterThan(0.45)
    expect(below).toBeLessThan(0.55)
    for (const g of sides) expect(g.top + g.side).toBeLessThanOrEqual(40)
  })
  it('draws brightness, contrast, saturation in 1 ± 0.3 and hue in ± 0.1, each on its own 0.8 coin', () => {
    const random = lcg(9)
    const draws = Array.from({ length: 4000 }, () => drawViewParams(8, PICIE_VIEW_DEFAULTS, random).photo1)
    for (const key of ['brightness', 'contrast', 'saturation'] as const) {
      const v = draws.map((d) => d[key])
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0.7)
      expect(Math.max(...v)).toBeLessThanOrEqual(1.3)
      expect(v.filter((x) => x !== 1).length / v.length).toBeCloseTo(0.8, 1)
    }
    const hue = draws.map((d) => d.hue)
    expect(Math.max(...hue.map(Math.abs))).toBeLessThanOrEqual(0.1)
    expect(hue.filter((x) => x !== 0).length / hue.length).toBeCloseTo(0.8, 1)
    expect(draws.filter((d) => d.grayscale).length / draws.length).toBeCloseTo(0.2, 1)
    expect(draws.filter((d) => d.blurSigma > 0).length / draws.length).toBeCloseTo(0.5, 1)
  })
  it('jitters pixel values in [0, 1], clamped, then normalises: white stays white when brightened', () => {
    const white = IMAGENET_MEAN.map((m, c) => (1 - m) / IMAGENET_STD[c])
    const img = tf.tensor4d([...white, ...white], [1, 1, 2, 3])
    const none = { brightness: 1, contrast: 1, saturation: 1, hue: 0, grayscale: false, blurSigma: 0 }
    const brighter = Array.from(applyPhotometric(img, { ...none, brightness: 1.3 }).dataSync())
    brighter.forEach((v, i) => expect(v).toBeCloseTo(white[i % 3], 5))
    const darker = Array.from(applyPhotometric(img, { ...none, brightness: 0.5 }).dataSync())
    darker.forEach((v, i) => expect(v).toBeCloseTo((0.5 - IMAGENET_MEAN[i % 3]) / IMAGENET_STD[i % 3], 5))
  })
})
