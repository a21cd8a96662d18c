import type { Point } from '../brushStroke'
import type { PaintContext } from './paintContext'
import { commitPolygon } from './polygonFillCommit'
import { ToolMachine } from './toolMachine'

/**
 * Polygon: idle → placing on the first click; each further click adds a vertex (outside the image too: the
 * shape is clipped when filled). Enter, a double-click or a click on the first vertex closes it → closed,
 * where its vertices can be dragged before anything is filled; Enter (or a double-click) then fills it.
 * Escape drops it in either state.
 */
export function polygonTool(ctx: () => PaintContext) {
  let points: Point[] = []
  let dragging = -1
  const near = (p: Point, q: Point) => Math.hypot(p.x - q.x, p.y - q.y) <= (ctx().pickRadius ?? 0)
  const drop = () => {
    points = []
    dragging = -1
    return 'idle' as const
  }
  const line = (closed: boolean, to: Point | null) => {
    const flat = points.flatMap((q) => [q.x, q.y])
    if (to) flat.push(to.x, to.y)
    if (closed && points.length > 0) flat.push(points[0].x, points[0].y)
    return flat
  }
  return new ToolMachine<'idle' | 'placing' | 'closed'>(
    'polygon',
    {
      idle: {
        pointerDown(p) {
          points = [p]
          return 'placing'
        },
      },
      placing: {
        pointerDown(p) {
          // A click on the first vertex closes the shape, as Enter does.
          if (points.length >= 3 && near(p, points[0])) return 'closed'
          const last = points[points.length - 1]
          // The second click of a double-click lands on the vertex just placed: not a new vertex.
          if (!(last.x === p.x && last.y === p.y)) points.push(p)
        },
        complete() {
          return points.length >= 3 ? 'closed' : drop()
        },
        cancel: drop,
        preview(p) {
          return { cursor: null, shape: line(false, p), vertices: points }
        },
      },
      closed: {
        pointerDown(p) {
          dragging = points.findIndex((q) => near(p, q))
        },
        pointerMove(p) {
          if (dragging >= 0) points[dragging] = p
        },
        pointerUp() {
          dragging = -1
        },
        complete() {
          const shape = points
          drop()
          commitPolygon(ctx(), shape)
          return 'idle'
        },
        cancel: drop,
        preview() {
          return { cursor: null, shape: line(true, null), vertices: points }
        },
      },
    },
    'idle',
  )
}
