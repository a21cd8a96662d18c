import type { Point } from '../brushStroke'

export type ToolName = 'pan' | 'brush' | 'eraser' | 'fill' | 'polygon' | 'lasso'

/** What a tool shows over the image for the pointer at `pointer` (image coordinates): brush circle, shape line. */
export interface ToolPreview {
  cursor: { x: number; y: number; r: number } | null
  /** Flat x, y list of the open shape's line. */
  shape: number[] | null
  /** Vertices shown as handles (a polygon's, which can be dragged once it is closed). */
  vertices?: readonly { x: number; y: number }[]
}

const NO_PREVIEW: ToolPreview = { cursor: null, shape: null }

/**
 * One state of a tool, as tldraw's StateNode: it handles the events it cares about and returns the name of
 * the state to go to (nothing: stay). Events a state does not handle are ignored in that state.
 */
export interface ToolState<S extends string> {
  /** Runs on entering this state from another one. */
  enter?(): void
  pointerDown?(p: Point): S | void
  pointerMove?(p: Point): S | void
  pointerUp?(p: Point): S | void
  /** Enter, a double-click or another tool chosen: finish what is being drawn and keep it. */
  complete?(): S | void
  /** Escape or a two-finger touch: drop what is being drawn. */
  cancel?(): S | void
  preview?(pointer: Point | null): ToolPreview
}

/** A paint tool as the viewer drives it, whatever states it has inside. */
export interface PaintTool {
  readonly name: ToolName
  /** A drag with this tool moves the view instead of painting. */
  readonly pans: boolean
  readonly state: string
  /** Something is being drawn (a stroke, an open polygon, a lasso): Escape and Enter act on it. */
  readonly busy: boolean
  pointerDown(p: Point): void
  pointerMove(p: Point): void
  pointerUp(p: Point): void
  /** Returns whether the state had anything to finish. */
  complete(): boolean
  /** Returns whether the state had anything to drop. */
  cancel(): boolean
  preview(pointer: Point | null): ToolPreview
}

/** A tool made of named states; `idle` is where it rests between shapes. */
export class ToolMachine<S extends string> implements PaintTool {
  state: S

  constructor(
    readonly name: ToolName,
    private readonly states: Record<S, ToolState<S>>,
    private readonly idle: S,
    readonly pans = false,
  ) {
    this.state = idle
  }

  get busy(): boolean {
    return this.state !== this.idle
  }

  private go(next: S | void): void {
    if (next === undefined || next === this.state) return
    this.state = next
    this.states[next].enter?.()
  }

  pointerDown(p: Point): void {
    this.go(this.states[this.state].pointerDown?.(p))
  }

  pointerMove(p: Point): void {
    this.go(this.states[this.state].pointerMove?.(p))
  }

  pointerUp(p: Point): void {
    this.go(this.states[this.state].pointerUp?.(p))
  }

  complete(): boolean {
    const s = this.states[this.state]
    if (!s.complete) return false
    this.go(s.complete())
    return true
  }

  cancel(): boolean {
    const s = this.states[this.state]
    if (!s.cancel) return false
    this.go(s.cancel())
    return true
  }

  preview(pointer: Point | null): ToolPreview {
    return this.states[this.state].preview?.(pointer) ?? NO_PREVIEW
  }
}
