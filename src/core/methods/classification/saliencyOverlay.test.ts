import { describe, expect, it } from 'vitest'
import { heatColour } from '../../../shared/heatRamp'
import { normaliseSaliency, saliencyHeatLayer, saliencyOverlay } from './saliencyOverlay'

describe('saliency overlay', () => {
  it('scales by the 99th percentile, so one outlier does not wash the map out', () => {
    const map = Array.from({ length: 200 }, (_, i) => (i < 199 ? i / 199 : 100))
    const s = normaliseSaliency(map)
    expect(s[199]).toBe(1)
    expect(s[100]).toBeGreaterThan(0.45)
    expect(normaliseSaliency([0, 0, 0])).toEqual(Float32Array.of(0, 0, 0))
  })

  it('leaves pixels without saliency untouched and colours the salient ones', () => {
    const image = Uint8Array.from({ length: 4 * 3 }, () => 100)
    const out = saliencyOverlay(image, [0, 0, 0, 5], 2, 2, 1)
    expect(Array.from(out.subarray(0, 9))).toEqual(Array(9).fill(100))
    expect(Array.from(out.subarray(9))).toEqual([255, 255, 255])
    expect(heatColour(0)).toEqual([0, 0, 0])
    expect(heatColour(1 / 3)).toEqual([255, 0, 0])
  })

  it('as a layer: transparent where nothing matters, opaque heat at the top', () => {
    const layer = saliencyHeatLayer([0, 2, 4])
    expect(Array.from(layer.subarray(0, 4))).toEqual([0, 0, 0, 0])
    expect(Array.from(layer.subarray(8))).toEqual([255, 255, 255, 255])
    expect(layer[7]).toBe(128)
  })

  it('names the mismatch when sizes disagree', () => {
    expect(() => saliencyOverlay(new Uint8Array(12), [0, 0, 0], 2, 2)).toThrow(/3 values for 2×2/)
  })
})
