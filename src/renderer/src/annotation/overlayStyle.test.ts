import { describe, expect, it } from 'vitest'
import { outlineWidthFor, overlayPixels, type OverlayStyle } from './overlayStyle'

// Palette: value 1 red, value 2 blue (RGBA per value).
const palette = new Uint8ClampedArray(256 * 4)
palette.set([255, 0, 0, 255], 4)
palette.set([0, 0, 255, 255], 8)

/** A 6 × 5 mask: a 4 × 3 square of class 1 at (1, 1), with class 2 in its bottom-right pixel. */
const W = 6
const H = 5
const values = Uint8Array.from([
  0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0,
])
const whole = { x: 0, y: 0, width: W, height: H }

function alphas(style: Partial<OverlayStyle>): number[][] {
  const out = new Uint8ClampedArray(W * H * 4)
  overlayPixels(
    values,
    whole,
    whole,
    palette,
    { mode: 'both', fillOpacity: 0.2, outlineWidth: 1, dashed: false, hidden: new Set(), ...style },
    out,
  )
  return Array.from({ length: H }, (_, y) => Array.from({ length: W }, (_, x) => out[(y * W + x) * 4 + 3]))
}

describe('overlay pixels', () => {
  it('fill: every class pixel at the fill opacity, background clear', () => {
    const a = alphas({ mode: 'fill', fillOpacity: 0.2 })
    expect(a[2]).toEqual([0, 51, 51, 51, 51, 0])
    expect(a[0].every((v) => v === 0)).toBe(true)
  })

  it('outline: only pixels next to another value, opaque; the inside stays clear', () => {
    const a = alphas({ mode: 'outline' })
    // Row 2: only the square's left and right border; row 3: (3, 3) touches the class-2 pixel, an edge too.
    expect(a[1]).toEqual([0, 255, 255, 255, 255, 0])
    expect(a[2]).toEqual([0, 255, 0, 0, 255, 0])
    expect(a[3]).toEqual([0, 255, 255, 255, 255, 0])
  })

  it('fill + outline: the inside at the fill opacity, the border opaque', () => {
    expect(alphas({ mode: 'both', fillOpacity: 0.2 })[2]).toEqual([0, 255, 51, 51, 255, 0])
  })

  it('a wider outline reaches further in; hidden classes are not drawn', () => {
    expect(alphas({ mode: 'outline', outlineWidth: 2 })[2]).toEqual([0, 255, 255, 255, 255, 0])
    const a = alphas({ mode: 'fill', hidden: new Set([2]) })
    expect(a[3][4]).toBe(0)
    expect(a[3][3]).toBeGreaterThan(0)
  })

  it('dashed outlines leave gaps along the border', () => {
    const solid = alphas({ mode: 'outline' })
      .flat()
      .filter((v) => v === 255).length
    const dashed = alphas({ mode: 'outline', dashed: true })
      .flat()
      .filter((v) => v === 255).length
    expect(dashed).toBeGreaterThan(0)
    expect(dashed).toBeLessThan(solid)
  })

  it('writes a part into a wider reused buffer row by row at its stride, leaving the rest as it was', () => {
    const style: OverlayStyle = {
      mode: 'both',
      fillOpacity: 0.2,
      outlineWidth: 1,
      dashed: false,
      hidden: new Set(),
    }
    const part = { x: 2, y: 1, width: 3, height: 3 }
    const own = new Uint8ClampedArray(part.width * part.height * 4)
    overlayPixels(values, whole, part, palette, style, own)
    const stride = 8
    const wide = new Uint8ClampedArray(stride * 4 * 4).fill(7)
    overlayPixels(values, whole, part, palette, style, wide, stride)
    for (let y = 0; y < part.height; y++) {
      const row = [...wide.subarray(y * stride * 4, y * stride * 4 + part.width * 4)]
      expect(row).toEqual([...own.subarray(y * part.width * 4, (y + 1) * part.width * 4)])
      expect(
        [...wide.subarray((y * stride + part.width) * 4, (y + 1) * stride * 4)].every((v) => v === 7),
      ).toBe(true)
    }
  })

  it('colours come from the palette; outline width follows the zoom in powers of two', () => {
    const out = new Uint8ClampedArray(W * H * 4)
    overlayPixels(
      values,
      whole,
      whole,
      palette,
      { mode: 'fill', fillOpacity: 1, outlineWidth: 1, dashed: false, hidden: new Set() },
      out,
    )
    expect([...out.subarray((3 * W + 4) * 4, (3 * W + 4) * 4 + 4)]).toEqual([0, 0, 255, 255])
    expect([
      outlineWidthFor(4),
      outlineWidthFor(1),
      outlineWidthFor(0.5),
      outlineWidthFor(0.1),
      outlineWidthFor(0.001),
    ]).toEqual([1, 2, 4, 16, 16])
  })
})
