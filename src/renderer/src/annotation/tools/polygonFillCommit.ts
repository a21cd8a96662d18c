import type { Point } from '../brushStroke'
import { fillPolygon } from '../polygonFill'
import { clipRect } from '../rect'
import type { PaintContext } from './paintContext'

/**
 * Fills a closed shape (polygon or lasso) with the class chosen, clamped to the part of the mask that is
 * loaded: vertices outside it move to its edge. Fewer than three points, or a shape wholly outside, does nothing.
 */
export function commitPolygon(c: PaintContext, points: readonly Point[]): void {
  if (points.length < 3) return
  const bounds = c.editable()
  if (!bounds) return
  const xs = points.map((q) => q.x)
  const ys = points.map((q) => q.y)
  const box = {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  }
  if (!clipRect(box, bounds)) return
  const clamped = points.map((q) => ({
    x: Math.max(bounds.x, Math.min(bounds.x + bounds.width, q.x)),
    y: Math.max(bounds.y, Math.min(bounds.y + bounds.height, q.y)),
  }))
  c.begin()
  if (fillPolygon(c.mask, clamped, c.value)) c.changed()
  c.end({ kind: 'polygon', value: c.value, points: clamped })
}
