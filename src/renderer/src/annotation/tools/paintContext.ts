import type { Point } from '../brushStroke'
import type { Rect } from '../rect'
import type { TiledMask } from '../tiledMask'

/** What a finished tool action put into the mask, in image coordinates (for tests, outlines, later editing). */
export type PaintShape =
  | { kind: 'stroke'; value: number; radius: number; points: Point[] }
  | { kind: 'fill'; value: number; seed: Point }
  | { kind: 'polygon'; value: number; points: Point[] }

/** What a tool needs from the viewer around it. */
export interface PaintContext {
  mask: TiledMask
  /** Class index painted by brush, fill, polygon and lasso (the eraser paints 0). */
  value: number
  /** Brush radius in image pixels. */
  radius: number
  /** How near (image pixels) a click must be to a vertex to pick it: a few screen pixels at the current zoom. */
  pickRadius?: number
  /** Tells the user something the tool did on its own (e.g. clipped a shape to the image). */
  notice?(message: string): void
  /** The part of the mask that is loaded and may be edited now (the view), or null. */
  editable(): Rect | null
  /** A change starts: remember the tiles it touches (for Escape) and open an autosave stroke. */
  begin(): void
  /** Pixels changed: redraw them and schedule the save. */
  changed(): void
  /** The change is complete; `shape` says what it was. */
  end(shape: PaintShape): void
  /** Escape: put the touched tiles back as they were. */
  rollback(): void
}

/** Whether `p` lies in the part of the mask that may be edited now. */
export function inEditable(ctx: PaintContext, p: Point): boolean {
  const r = ctx.editable()
  return !!r && p.x >= r.x && p.y >= r.y && p.x < r.x + r.width && p.y < r.y + r.height
}
