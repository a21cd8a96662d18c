import type { Point } from './brushStroke'
import type { Rect } from './rect'
import type { TiledMask } from './tiledMask'

/**
 * Fills a closed polygon (also a lasso: many close points) with `value`, even-odd rule, sampling pixel
 * centres: pixel (x, y) is inside when (x + 0.5, y + 0.5) is. One scanline per row of the bounding box.
 */
export function fillPolygon(mask: TiledMask, points: readonly Point[], value: number): Rect | null {
  if (points.length < 3) return null
  const ys = points.map((p) => p.y)
  const y0 = Math.max(0, Math.floor(Math.min(...ys)))
  const y1 = Math.min(mask.height - 1, Math.ceil(Math.max(...ys)))
  let minX = Infinity
  let maxX = -Infinity
  let minY = Infinity
  let maxY = -Infinity
  const xs: number[] = []
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5
    xs.length = 0
    for (let i = 0; i < points.length; i++) {
      const a = points[i]
      const b = points[(i + 1) % points.length]
      // Half-open in y so a vertex shared by two edges is counted once.
      if (a.y <= cy !== b.y <= cy) xs.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x))
    }
    xs.sort((p, q) => p - q)
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const xs0 = Math.max(0, Math.ceil(xs[i] - 0.5))
      const xe = Math.min(mask.width, Math.ceil(xs[i + 1] - 0.5))
      if (xe <= xs0) continue
      mask.fillSpan(y, xs0, xe, value)
      minX = Math.min(minX, xs0)
      maxX = Math.max(maxX, xe - 1)
      minY = Math.min(minY, y)
      maxY = Math.max(maxY, y)
    }
  }
  return minX === Infinity ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 }
}
