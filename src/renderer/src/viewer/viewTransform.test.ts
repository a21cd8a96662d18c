import { describe, expect, it } from 'vitest'
import {
  fitView,
  levelForScale,
  pinchZoom,
  screenToImage,
  tilesCovering,
  visibleImageRect,
  zoomAt,
} from './viewTransform'

describe('view transform', () => {
  it('pinch-zooms by how far the fingers spread, around their midpoint', () => {
    const v = { scale: 1, x: 10, y: 20 }
    const z = pinchZoom(
      v,
      [
        { x: 100, y: 100 },
        { x: 200, y: 100 },
      ],
      [
        { x: 90, y: 100 },
        { x: 290, y: 100 },
      ],
    )
    expect(z.scale).toBeCloseTo(2, 12)
    // The image point under the new midpoint (190, 100) stays there.
    expect(z).toEqual(zoomAt(v, 2, 190, 100))
    expect(
      pinchZoom(
        v,
        [
          { x: 5, y: 5 },
          { x: 5, y: 5 },
        ],
        [
          { x: 0, y: 0 },
          { x: 9, y: 9 },
        ],
      ),
    ).toBe(v)
  })

  it('fits the image centred with a margin', () => {
    // 2000×1000 into 1032×632 with margin 16: width-bound, scale 0.5; height 500 centred in 632 → y 66.
    expect(fitView(2000, 1000, 1032, 632)).toEqual({ scale: 0.5, x: 16, y: 66 })
  })

  it('keeps the image point under the cursor when zooming', () => {
    const v = { scale: 0.5, x: 16, y: 66 }
    const before = screenToImage(v, 300, 200)
    const z = zoomAt(v, 4, 300, 200)
    expect(z.scale).toBe(2)
    const after = screenToImage(z, 300, 200)
    expect(after.x).toBeCloseTo(before.x, 9)
    expect(after.y).toBeCloseTo(before.y, 9)
    expect(zoomAt(v, 1e9, 0, 0).scale).toBe(32)
  })

  it('reports the visible image pixels and the tiles under them', () => {
    const v = { scale: 2, x: -1000, y: -200 }
    // Screen 0..800 × 0..600 ↔ image 500..900 × 100..400.
    expect(visibleImageRect(v, 800, 600, 20000, 20000)).toEqual({ x: 500, y: 100, width: 400, height: 300 })
    expect(tilesCovering({ x: 500, y: 100, width: 400, height: 300 }, 0, 512, 40, 40)).toEqual([
      [0, 0],
      [1, 0],
    ])
    // At level 2 a tile spans 2048 image pixels.
    expect(tilesCovering({ x: 0, y: 0, width: 4097, height: 10 }, 2, 512, 3, 3)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ])
    expect(visibleImageRect({ scale: 1, x: 5000, y: 0 }, 800, 600, 1000, 1000)).toBeNull()
  })

  it('draws the coarsest level that still covers every screen pixel', () => {
    expect(levelForScale(4, 7)).toBe(0)
    expect(levelForScale(1, 7)).toBe(0)
    expect(levelForScale(0.6, 7)).toBe(0)
    expect(levelForScale(0.5, 7)).toBe(1)
    expect(levelForScale(0.3, 7)).toBe(1)
    expect(levelForScale(0.25, 7)).toBe(2)
    expect(levelForScale(1 / 1000, 7)).toBe(6)
  })
})
