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
  return a ? growRect({ ...a }, b.x, b.y, b.width, b.height) : { ...b }
}

/** Grows `r` in place to also cover the rectangle (x, y, width, height); returns `r`. No allocation. */
export function growRect(r: Rect, x: number, y: number, width: number, height: number): Rect {
  const x1 = Math.max(r.x + r.width, x + width)
  const y1 = Math.max(r.y + r.height, y + height)
  r.x = Math.min(r.x, x)
  r.y = Math.min(r.y, y)
  r.width = x1 - r.x
  r.height = y1 - r.y
  return r
}
