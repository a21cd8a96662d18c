import type { Point } from '../brushStroke'
import { inEditable, type PaintContext } from './paintContext'
import { commitPolygon } from './polygonFillCommit'
import { ToolMachine } from './toolMachine'

/**
 * Polygon: idle → placing on the first click inside the editable part; each further click adds a vertex;
 * Enter or a double-click fills it, Escape drops it. The preview runs from the last vertex to the pointer.
 */
export function polygonTool(ctx: () => PaintContext) {
  let points: Point[] = []
  const add = (p: Point) => {
    if (inEditable(ctx(), p)) points.push(p)
  }
  return new ToolMachine<'idle' | 'placing'>(
    'polygon',
    {
      idle: {
        pointerDown(p) {
          points = []
          add(p)
          if (points.length > 0) return 'placing'
        },
      },
      placing: {
        pointerDown: add,
        complete() {
          const shape = points
          points = []
          commitPolygon(ctx(), shape)
          return 'idle'
        },
        cancel() {
          points = []
          return 'idle'
        },
        preview(p) {
          const line = points.flatMap((q) => [q.x, q.y])
          if (p) line.push(p.x, p.y)
          return { cursor: null, shape: line }
        },
      },
    },
    'idle',
  )
}
