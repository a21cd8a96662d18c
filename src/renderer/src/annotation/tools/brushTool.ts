import { paintSegment, type Point } from '../brushStroke'
import { inEditable, type PaintContext } from './paintContext'
import { ToolMachine } from './toolMachine'

/**
 * Brush and eraser: idle → stroking on a press inside the editable part; each move paints the capsule from
 * the last point; release commits the stroke, Escape rolls the touched tiles back.
 */
export function brushTool(ctx: () => PaintContext, erase: boolean) {
  let last: Point | null = null
  let points: Point[] = []
  const value = () => (erase ? 0 : ctx().value)
  const dab = (a: Point, b: Point) => {
    const c = ctx()
    if (paintSegment(c.mask, a, b, c.radius, value())) c.changed()
  }
  const preview = (p: Point | null) => ({ cursor: p && { x: p.x, y: p.y, r: ctx().radius }, shape: null })
  const finish = () => {
    ctx().end({ kind: 'stroke', value: value(), radius: ctx().radius, points })
    last = null
    points = []
    return 'idle' as const
  }
  return new ToolMachine<'idle' | 'stroking'>(
    erase ? 'eraser' : 'brush',
    {
      idle: {
        pointerDown(p) {
          if (!inEditable(ctx(), p)) return
          ctx().begin()
          last = p
          points = [p]
          dab(p, p)
          return 'stroking'
        },
        preview,
      },
      stroking: {
        pointerMove(p) {
          if (last) dab(last, p)
          last = p
          points.push(p)
        },
        pointerUp: finish,
        complete: finish,
        cancel() {
          ctx().rollback()
          last = null
          points = []
          return 'idle'
        },
        preview,
      },
    },
    'idle',
  )
}
