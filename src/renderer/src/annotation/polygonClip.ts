import type { Point } from './brushStroke'
import type { Rect } from './rect'

/**
 * The part of a polygon inside a rectangle (Sutherland–Hodgman, one pass per edge of the rectangle): vertices
 * outside are replaced by where the polygon's edges cross the border, so the shape inside keeps its form.
 * The rectangle is half-open like a pixel rectangle; the result lies within [x, x + width] × [y, y + height].
 */
export function clipPolygonToRect(points: readonly Point[], r: Rect): Point[] {
  const edges: { inside: (p: Point) => boolean; cross: (a: Point, b: Point) => Point }[] = [
    { inside: (p) => p.x >= r.x, cross: (a, b) => at(a, b, (r.x - a.x) / (b.x - a.x)) },
    {
      inside: (p) => p.x <= r.x + r.width,
      cross: (a, b) => at(a, b, (r.x + r.width - a.x) / (b.x - a.x)),
    },
    { inside: (p) => p.y >= r.y, cross: (a, b) => at(a, b, (r.y - a.y) / (b.y - a.y)) },
    {
      inside: (p) => p.y <= r.y + r.height,
      cross: (a, b) => at(a, b, (r.y + r.height - a.y) / (b.y - a.y)),
    },
  ]
  let out = [...points]
  for (const e of edges) {
    const input = out
    out = []
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]
      const prev = input[(i + input.length - 1) % input.length]
      if (e.inside(cur)) {
        if (!e.inside(prev)) out.push(e.cross(prev, cur))
        out.push(cur)
      } else if (e.inside(prev)) out.push(e.cross(prev, cur))
    }
    if (out.length === 0) break
  }
  return out
}

function at(a: Point, b: Point, t: number): Point {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }
}
