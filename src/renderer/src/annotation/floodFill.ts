import type { Rect } from './rect'
import type { TiledMask } from './tiledMask'

/**
 * Fills the 4-connected region of equal class around (x, y) with `value`, staying inside `bounds` (the part
 * of the mask that is loaded, e.g. the view). Scanline fill: each span is read and written once. Returns the
 * number of pixels changed.
 */
export function floodFill(mask: TiledMask, x: number, y: number, value: number, bounds: Rect): number {
  const bx0 = Math.max(0, bounds.x)
  const by0 = Math.max(0, bounds.y)
  const bx1 = Math.min(mask.width, bounds.x + bounds.width)
  const by1 = Math.min(mask.height, bounds.y + bounds.height)
  x = Math.floor(x)
  y = Math.floor(y)
  if (x < bx0 || y < by0 || x >= bx1 || y >= by1) return 0
  const target = mask.get(x, y)
  if (target === value) return 0
  let changed = 0
  const stack: number[] = [x, y]
  while (stack.length) {
    const sy = stack.pop()!
    const sx = stack.pop()!
    if (mask.get(sx, sy) !== target) continue
    let l = sx
    while (l > bx0 && mask.get(l - 1, sy) === target) l--
    let r = sx + 1
    while (r < bx1 && mask.get(r, sy) === target) r++
    mask.fillSpan(sy, l, r, value)
    changed += r - l
    for (const ny of [sy - 1, sy + 1]) {
      if (ny < by0 || ny >= by1) continue
      let inRun = false
      for (let nx = l; nx < r; nx++) {
        const match = mask.get(nx, ny) === target
        if (match && !inRun) stack.push(nx, ny)
        inRun = match
      }
    }
  }
  return changed
}
