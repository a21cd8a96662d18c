/** An axis-aligned pixel rectangle: x, y inclusive, width and height in pixels. */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** The part of `r` inside `bounds`, or null when they do not overlap. */
export function clipRect(r: Rect, bounds: Rect): Rect | null {
  const x0 = Math.max(r.x, bounds.x)
  const y0 = Math.max(r.y, bounds.y)
  const x1 = Math.min(r.x + r.width, bounds.x + bounds.width)
  const y1 = Math.min(r.y + r.height, bounds.y + bounds.height)
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null
}

export function unionRect(a: Rect | null | undefined, b: Rect): Rect {
  if (!a) return { ...b }
  const x0 = Math.min(a.x, b.x)
  const y0 = Math.min(a.y, b.y)
  return {
    x: x0,
    y: y0,
    width: Math.max(a.x + a.width, b.x + b.width) - x0,
    height: Math.max(a.y + a.height, b.y + b.height) - y0,
  }
}
