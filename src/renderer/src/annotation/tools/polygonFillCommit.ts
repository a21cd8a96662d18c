import type { Point } from '../brushStroke'
import { clipPolygonToRect } from '../polygonClip'
import { fillPolygon } from '../polygonFill'
import type { PaintContext } from './paintContext'

/**
 * Fills a closed shape (polygon or lasso) with the class chosen, clipped to the part of the mask that is
 * loaded (the image, or the view when zoomed in): the part outside is cut along the border, and the viewer
 * is told so. Fewer than three points, or a shape wholly outside, does nothing.
 */
export function commitPolygon(c: PaintContext, points: readonly Point[]): void {
  if (points.length < 3) return
  const bounds = c.editable()
  if (!bounds) return
  const clipped = clipPolygonToRect(points, bounds)
  if (clipped.length < 3) {
    c.notice?.('The shape lies outside the part of the image that can be edited: nothing was filled')
    return
  }
  const inside = (q: Point) =>
    q.x >= bounds.x && q.y >= bounds.y && q.x <= bounds.x + bounds.width && q.y <= bounds.y + bounds.height
  if (!points.every(inside)) c.notice?.('The shape reached outside the editable image: it was clipped to it')
  c.begin()
  if (fillPolygon(c.mask, clipped, c.value)) c.changed()
  c.end({ kind: 'polygon', value: c.value, points: clipped })
}
