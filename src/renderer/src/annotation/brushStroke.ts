import type { Rect } from './rect'
import type { TiledMask } from './tiledMask'

export interface Point {
  x: number
  y: number
}

/**
 * Paints the capsule swept by a round brush of `radius` (image pixels) moving from `a` to `b`: every pixel
 * whose centre lies within `radius` of the segment gets `value` (0 erases). Work is one span per row of the
 * segment's bounding box, so a stroke costs the area it touches. Returns that box, or null when it misses the mask.
 */
export function paintSegment(
  mask: TiledMask,
  a: Point,
  b: Point,
  radius: number,
  value: number,
): Rect | null {
  const r = Math.max(0.5, radius)
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - r))
  const y1 = Math.min(mask.height - 1, Math.ceil(Math.max(a.y, b.y) + r))
  const dx = b.x - a.x
  const dy = b.y - a.y
  const len2 = dx * dx + dy * dy
  const r2 = r * r
  let minX = Infinity
  let maxX = -Infinity
  let minY = Infinity
  let maxY = -Infinity
  const n = Math.sqrt(len2)
  const dist = r * n
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5
    // The row's pixels inside the capsule form one interval: the union of the two end discs and the band.
    // Scalars only: this runs per row of every pointer move, and allocations there end in collections.
    let lo = Infinity
    let hi = -Infinity
    const ha = r2 - (cy - a.y) ** 2
    if (ha >= 0) {
      const w = Math.sqrt(ha)
      lo = a.x - w
      hi = a.x + w
    }
    const hb = r2 - (cy - b.y) ** 2
    if (hb >= 0) {
      const w = Math.sqrt(hb)
      lo = Math.min(lo, b.x - w)
      hi = Math.max(hi, b.x + w)
    }
    if (len2 > 0) {
      // Points (x, cy) whose projection falls on the segment and whose distance to the line is ≤ r:
      // |dy·(x−a.x) − dx·(cy−a.y)| ≤ r·n
      const c = dx * (cy - a.y)
      if (dy !== 0) {
        const e0 = (c - dist) / dy + a.x
        const e1 = (c + dist) / dy + a.x
        // Clip the band to the projection range [0, 1], which is a range of x when dx ≠ 0.
        let bandLo = Math.min(e0, e1)
        let bandHi = Math.max(e0, e1)
        if (dx !== 0) {
          const x0 = a.x - ((cy - a.y) * dy) / dx
          const x1 = x0 + len2 / dx
          bandLo = Math.max(bandLo, Math.min(x0, x1))
          bandHi = Math.min(bandHi, Math.max(x0, x1))
        } else {
          // A vertical segment: the band is there only for rows whose projection falls on it.
          const t = ((cy - a.y) * dy) / len2
          if (t < 0 || t > 1) bandHi = bandLo - 1
        }
        if (bandHi >= bandLo) {
          lo = Math.min(lo, bandLo)
          hi = Math.max(hi, bandHi)
        }
      } else if (Math.abs(cy - a.y) <= r) {
        lo = Math.min(lo, Math.min(a.x, b.x))
        hi = Math.max(hi, Math.max(a.x, b.x))
      }
    }
    if (hi < lo) continue
    // Pixel x is inside when its centre x + 0.5 is in [lo, hi].
    const xs = Math.max(0, Math.ceil(lo - 0.5))
    const xe = Math.min(mask.width - 1, Math.floor(hi - 0.5))
    if (xe < xs) continue
    mask.fillSpan(y, xs, xe + 1, value)
    minX = Math.min(minX, xs)
    maxX = Math.max(maxX, xe)
    minY = Math.min(minY, y)
    maxY = Math.max(maxY, y)
  }
  return minX === Infinity ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 }
}
