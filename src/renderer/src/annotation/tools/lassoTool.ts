import type { Point } from '../brushStroke'
import { inEditable, type PaintContext } from './paintContext'
import { commitPolygon } from './polygonFillCommit'
import { ToolMachine } from './toolMachine'

/** Lasso: idle → dragging on a press inside the editable part; the path dragged is filled on release. */
export function lassoTool(ctx: () => PaintContext) {
  let points: Point[] = []
  const finish = () => {
    const shape = points
    points = []
    commitPolygon(ctx(), shape)
    return 'idle' as const
  }
  return new ToolMachine<'idle' | 'dragging'>(
    'lasso',
    {
      idle: {
        pointerDown(p) {
          if (!inEditable(ctx(), p)) return
          points = [p]
          return 'dragging'
        },
      },
      dragging: {
        pointerMove(p) {
          // Points closer than a pixel add nothing to the outline.
          const q = points[points.length - 1]
          if (Math.hypot(q.x - p.x, q.y - p.y) >= 1) points.push(p)
        },
        pointerUp: finish,
        complete: finish,
        cancel() {
          points = []
          return 'idle'
        },
        preview: () => ({ cursor: null, shape: points.flatMap((q) => [q.x, q.y]) }),
      },
    },
    'idle',
  )
}
