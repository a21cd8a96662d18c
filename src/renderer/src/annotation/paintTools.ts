import { paintSegment, type Point } from './brushStroke'
import { floodFill } from './floodFill'
import { fillPolygon } from './polygonFill'
import { clipRect, type Rect } from './rect'
import type { TiledMask } from './tiledMask'

export type ToolName = 'pan' | 'brush' | 'eraser' | 'fill' | 'polygon' | 'lasso'

/** What a tool needs from the viewer around it. */
export interface PaintContext {
  mask: TiledMask
  /** Class index painted by brush, fill and polygon (the eraser paints 0). */
  value: number
  /** Brush radius in image pixels. */
  radius: number
  /** The part of the mask that is loaded and may be edited now (the view), or null. */
  editable(): Rect | null
  /** A change starts: remember the tiles it touches (for Escape) and open an autosave stroke. */
  begin(): void
  /** Pixels changed: redraw them and schedule the save. */
  changed(): void
  /** The change is complete. */
  end(): void
  /** Escape: put the touched tiles back as they were. */
  rollback(): void
}

/**
 * The painting tools as one small state machine (idle → drawing): a brush or eraser stroke marks on
 * pointer-down, paints on each move, commits on pointer-up and rolls back on Escape; fill acts on a click;
 * polygon collects clicks until Enter or a double-click; lasso fills the path dragged.
 */
export class PaintTools {
  tool: ToolName = 'brush'
  state: 'idle' | 'drawing' = 'idle'
  /** Vertices of the polygon or lasso being drawn, for the preview line. */
  points: Point[] = []
  private last: Point | null = null

  constructor(private ctx: () => PaintContext) {}

  private inEditable(p: Point): boolean {
    const r = this.ctx().editable()
    return !!r && p.x >= r.x && p.y >= r.y && p.x < r.x + r.width && p.y < r.y + r.height
  }

  down(p: Point): void {
    const c = this.ctx()
    switch (this.tool) {
      case 'brush':
      case 'eraser': {
        if (!this.inEditable(p)) return
        this.state = 'drawing'
        c.begin()
        this.last = p
        this.dab(p, p)
        return
      }
      case 'fill': {
        const bounds = c.editable()
        if (!bounds || !this.inEditable(p)) return
        c.begin()
        if (floodFill(c.mask, p.x, p.y, c.value, bounds) > 0) c.changed()
        c.end()
        return
      }
      case 'lasso':
        if (!this.inEditable(p)) return
        this.state = 'drawing'
        this.points = [p]
        return
      case 'polygon':
        if (!this.inEditable(p)) return
        this.state = 'drawing'
        this.points.push(p)
        return
      default:
    }
  }

  move(p: Point): void {
    if (this.state !== 'drawing') return
    if (this.tool === 'brush' || this.tool === 'eraser') {
      if (this.last) this.dab(this.last, p)
      this.last = p
    } else if (this.tool === 'lasso') {
      const q = this.points[this.points.length - 1]
      if (!q || Math.hypot(q.x - p.x, q.y - p.y) >= 1) this.points.push(p)
    }
  }

  up(_p: Point): void {
    if (this.state !== 'drawing') return
    if (this.tool === 'brush' || this.tool === 'eraser') {
      this.state = 'idle'
      this.last = null
      this.ctx().end()
    } else if (this.tool === 'lasso') this.finishShape()
  }

  /** Enter or double-click closes the polygon. */
  finishShape(): void {
    const c = this.ctx()
    const pts = this.points
    this.points = []
    this.state = 'idle'
    if (pts.length < 3) return
    const bounds = c.editable()
    if (!bounds) return
    c.begin()
    // Clip the fill to what is loaded: the polygon's box must lie in the editable region.
    const xs = pts.map((q) => q.x)
    const ys = pts.map((q) => q.y)
    const box = {
      x: Math.min(...xs),
      y: Math.min(...ys),
      width: Math.max(...xs) - Math.min(...xs),
      height: Math.max(...ys) - Math.min(...ys),
    }
    if (clipRect(box, bounds)) {
      const clipped = pts.map((q) => ({
        x: Math.max(bounds.x, Math.min(bounds.x + bounds.width, q.x)),
        y: Math.max(bounds.y, Math.min(bounds.y + bounds.height, q.y)),
      }))
      if (fillPolygon(c.mask, clipped, this.tool === 'eraser' ? 0 : c.value)) c.changed()
    }
    c.end()
  }

  /** Escape: drop a polygon in progress or roll back a stroke in progress. Returns whether it did anything. */
  cancel(): boolean {
    if (this.state !== 'drawing') return false
    if (this.tool === 'brush' || this.tool === 'eraser') this.ctx().rollback()
    this.points = []
    this.last = null
    this.state = 'idle'
    return true
  }

  private dab(a: Point, b: Point): void {
    const c = this.ctx()
    if (paintSegment(c.mask, a, b, c.radius, this.tool === 'eraser' ? 0 : c.value)) c.changed()
  }
}
