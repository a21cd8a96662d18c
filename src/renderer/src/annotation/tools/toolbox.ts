import type { Point } from '../brushStroke'
import { brushTool } from './brushTool'
import { fillTool } from './fillTool'
import { lassoTool } from './lassoTool'
import type { PaintContext } from './paintContext'
import { polygonTool } from './polygonTool'
import { ToolMachine, type PaintTool, type ToolName, type ToolPreview } from './toolMachine'

/** The tools, in the order the tools row shows them: the button's word and how to use it. */
export const TOOLS: readonly { name: ToolName; label: string; hint: string }[] = [
  { name: 'pan', label: 'Pan', hint: 'Pan: drag to move the view' },
  { name: 'brush', label: 'Brush', hint: 'Brush: drag to paint the class chosen' },
  { name: 'eraser', label: 'Eraser', hint: 'Eraser: drag to clear the mask' },
  { name: 'fill', label: 'Fill', hint: 'Flood fill: click a region to fill it with the class chosen' },
  {
    name: 'polygon',
    label: 'Polygon',
    hint: 'Polygon: click points; Enter, a double-click or the first point closes it; drag its points, then Enter fills',
  },
  { name: 'lasso', label: 'Lasso', hint: 'Lasso: drag around a region to fill it' },
]

const MAKE: Record<ToolName, (ctx: () => PaintContext) => PaintTool> = {
  // Pan has no states of its own: a drag moves the view (the viewer's gestures do that).
  pan: () => new ToolMachine<'idle'>('pan', { idle: {} }, 'idle', true),
  brush: (ctx) => brushTool(ctx, false),
  eraser: (ctx) => brushTool(ctx, true),
  fill: fillTool,
  polygon: polygonTool,
  lasso: lassoTool,
}

/** The tools and which one is current; pointer events go to the current tool's current state. */
export class Toolbox {
  readonly tools: readonly PaintTool[]
  current: PaintTool

  constructor(ctx: () => PaintContext) {
    this.tools = TOOLS.map((t) => MAKE[t.name](ctx))
    this.current = this.tools.find((t) => t.name === 'brush')!
  }

  /** Another tool: what the current one was drawing is finished and kept, as on Enter. */
  select(name: ToolName): void {
    if (this.current.name === name) return
    // A polygon closes on the first complete and fills on the second: finish whatever is open.
    for (let i = 0; i < 3 && this.current.busy; i++) this.current.complete()
    this.current = this.tools.find((t) => t.name === name) ?? this.current
  }

  get busy(): boolean {
    return this.current.busy
  }

  pointerDown(p: Point): void {
    this.current.pointerDown(p)
  }

  pointerMove(p: Point): void {
    this.current.pointerMove(p)
  }

  pointerUp(p: Point): void {
    this.current.pointerUp(p)
  }

  complete(): boolean {
    return this.current.complete()
  }

  cancel(): boolean {
    return this.current.cancel()
  }

  preview(pointer: Point | null): ToolPreview {
    return this.current.preview(pointer)
  }
}
