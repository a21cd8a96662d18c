import { floodFill } from '../floodFill'
import { inEditable, type PaintContext } from './paintContext'
import { ToolMachine } from './toolMachine'

/** Flood fill: one state; a click inside the editable part fills the connected region of one class there. */
export function fillTool(ctx: () => PaintContext) {
  return new ToolMachine<'idle'>(
    'fill',
    {
      idle: {
        pointerDown(p) {
          const c = ctx()
          const bounds = c.editable()
          if (!bounds || !inEditable(c, p)) return
          c.begin()
          if (floodFill(c.mask, p.x, p.y, c.value, bounds) > 0) c.changed()
          c.end({ kind: 'fill', value: c.value, seed: p })
        },
      },
    },
    'idle',
  )
}
