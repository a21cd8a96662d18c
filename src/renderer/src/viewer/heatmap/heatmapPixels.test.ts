import { describe, expect, it } from 'vitest'
import { heatmapColour, heatmapPixels } from './heatmapPixels'
import { VIRIDIS } from './viridis'

const hex = (k: number) =>
  '#' + [...VIRIDIS.subarray(3 * k, 3 * k + 3)].map((c) => c.toString(16).padStart(2, '0')).join('')

/** Relative luminance (sRGB, ITU-R BT.709), the lightness a perceptual map must make monotonic. */
function luminance(k: number): number {
  const lin = (c: number) => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  const [r, g, b] = VIRIDIS.subarray(3 * k, 3 * k + 3)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

describe('heatmap colours', () => {
  it('is viridis: matplotlib’s ends and middle', () => {
    expect([hex(0), hex(128), hex(255)]).toEqual(['#440154', '#21918c', '#fde725'])
  })
  it('rises in lightness along the map, so order reads without hue (colour-blind safe)', () => {
    // Every 4 entries (1.6 % of the range); single 8-bit steps can tie or dip by rounding.
    for (let k = 4; k < 256; k += 4) expect(luminance(k)).toBeGreaterThan(luminance(k - 4))
    expect(luminance(255) / luminance(0)).toBeGreaterThan(20)
  })
  it('draws a 0–1 map and its 8-bit form alike, hiding values below the floor only when asked', () => {
    const floats = new Float32Array([0, 0.5, 1, -0.2, 1.7, 0.04])
    const bytes = new Uint8Array([0, 128, 255, 0, 255, 10])
    const a = new Uint8ClampedArray(24)
    const b = new Uint8ClampedArray(24)
    heatmapPixels(floats, a)
    heatmapPixels(bytes, b)
    expect([...a]).toEqual([...b])
    expect([...a.subarray(0, 4)]).toEqual([0x44, 0x01, 0x54, 255])
    expect([...a.subarray(8, 12)]).toEqual([0xfd, 0xe7, 0x25, 255])
    heatmapPixels(floats, a, 0.05)
    expect([0, 1, 2, 3, 4, 5].map((i) => a[i * 4 + 3])).toEqual([0, 255, 255, 0, 255, 0])
    expect(() => heatmapPixels(floats, new Uint8ClampedArray(4))).toThrow(/1 pixels to fill from 6 values/)
  })
  it('gives the legend the same colours as the pixels', () => {
    expect(heatmapColour(0)).toBe('rgb(68, 1, 84)')
    expect(heatmapColour(1)).toBe('rgb(253, 231, 37)')
  })
})
