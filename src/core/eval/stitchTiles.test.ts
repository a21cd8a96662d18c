import { describe, expect, it } from 'vitest'
import { argmaxClass, stitchTiles, wholeImageMask, type TilePrediction } from './stitchTiles'

/** Two-class probabilities for a size × size tile where every pixel has P(foreground) = pf. */
function uniformTile(
  x: number,
  y: number,
  size: number,
  pf: number,
  width = size,
  height = size,
): TilePrediction {
  const probabilities = new Float32Array(size * size * 2)
  for (let i = 0; i < size * size; i++) {
    probabilities[2 * i] = 1 - pf
    probabilities[2 * i + 1] = pf
  }
  return { x, y, width, height, size, probabilities }
}

describe('stitchTiles', () => {
  it('places tiles at their source positions', () => {
    const s = stitchTiles([uniformTile(0, 0, 2, 0.9), uniformTile(2, 0, 2, 0.1)], { width: 4, height: 2 }, 2)
    expect(Array.from(s.mask)).toEqual([1, 1, 0, 0, 1, 1, 0, 0])
    expect(s.uncovered).toBe(0)
  })
  it('averages probabilities where tiles overlap', () => {
    // Column 1 is covered by both: (0.9 + 0.2) / 2 = 0.55 → foreground; a last-write-wins stitch would say 0.2.
    const s = stitchTiles([uniformTile(0, 0, 2, 0.9), uniformTile(1, 0, 2, 0.2)], { width: 3, height: 2 }, 2)
    expect(s.probabilities[1 * 2 + 1]).toBeCloseTo(0.55, 6)
    expect(Array.from(s.mask)).toEqual([1, 1, 0, 1, 1, 0])
  })
  it('crops padding beyond the tile region and the image', () => {
    // 4×4 tile whose valid part is 3×1 on a 3×2 image; padding pixels say foreground but must be dropped.
    const t = uniformTile(0, 1, 4, 0.2, 3, 1)
    t.probabilities.fill(0)
    for (let i = 0; i < 16; i++) t.probabilities[2 * i + 1] = i < 3 ? 0.1 : 1
    for (let i = 0; i < 3; i++) t.probabilities[2 * i] = 0.9
    const s = stitchTiles([t], { width: 3, height: 2 }, 2)
    expect(Array.from(s.mask)).toEqual([0, 0, 0, 0, 0, 0])
    expect(s.uncovered).toBe(3)
  })
  it('rejects a tile whose probabilities do not fit its size', () => {
    expect(() =>
      stitchTiles(
        [{ x: 0, y: 0, width: 2, height: 2, size: 2, probabilities: new Float32Array(3) }],
        { width: 2, height: 2 },
        2,
      ),
    ).toThrow(/Tile 0 at \(0, 0\) has 3 probabilities/)
  })
})

describe('wholeImageMask', () => {
  it('equals stitching the image as its own single tile, padded to a square', () => {
    const [width, height, classes] = [7, 4, 3]
    // Values in steps of 1/8 so that some pixels tie between classes.
    const probabilities = Float32Array.from({ length: width * height * classes }, (_, i) => ((i * 5) % 8) / 8)
    const side = Math.max(width, height)
    const square = new Float32Array(side * side * classes)
    for (let r = 0; r < height; r++)
      square.set(probabilities.subarray(r * width * classes, (r + 1) * width * classes), r * side * classes)
    const tile = { x: 0, y: 0, width, height, size: side, probabilities: square }
    const whole = wholeImageMask(probabilities, { width, height }, classes)
    expect(whole).toEqual(stitchTiles([tile], { width, height }, classes))
    expect(new Set(whole.mask).size).toBe(classes)
    expect(() => wholeImageMask(probabilities, { width: 6, height }, classes)).toThrow(/expected 6×4×3/)
  })
})

describe('argmaxClass', () => {
  it('takes the most probable class at the offset; a tie goes to the lower class', () => {
    // Two pixels of three classes: (0.2, 0.5, 0.3) and (0.4, 0.1, 0.4).
    const p = Float32Array.of(0.2, 0.5, 0.3, 0.4, 0.1, 0.4)
    expect(argmaxClass(p, 0, 3)).toBe(1)
    expect(argmaxClass(p, 3, 3)).toBe(0)
    expect(argmaxClass(Float32Array.of(0.3, 0.2, 0.5, 0.5), 1, 3)).toBe(1)
    // Stitched and whole-image masks resolve ties the same way.
    const tie = Float32Array.of(0.5, 0.5)
    expect(wholeImageMask(tie, { width: 1, height: 1 }, 2).mask[0]).toBe(0)
    const tile = { x: 0, y: 0, width: 1, height: 1, size: 1, probabilities: tie }
    expect(stitchTiles([tile], { width: 1, height: 1 }, 2).mask[0]).toBe(0)
  })
})
