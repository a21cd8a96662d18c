import type { ToolName } from '../../annotation/tools/toolMachine'
import type { KeySpec } from './keys'

export type SidePanel = 'export'

/**
 * What the viewer lets actions do: every button and key goes through these. The viewer builds one per render
 * (see useViewerCommands); tests build a fake one.
 */
export interface ViewerCommands {
  fit(): void
  actualSize(): void
  zoomBy(factor: number): void
  /** Moves the view by tenths of the viewport towards (dx, dy): (-1, 0) shows more of the left. */
  look(dx: number, dy: number): void

  tool: ToolName
  selectTool(tool: ToolName): void
  /** A stroke, polygon or lasso is being drawn. */
  readonly shapeInProgress: boolean
  finishShape(): void
  cancelShape(): void
  /** One step larger (+1) or smaller (−1) brush. */
  resizeBrush(step: 1 | -1): void
  /** Paint with the class at this place in the list (1-based); leaves the eraser and pan tool for the brush. */
  paintWith(place: number): void
  /** Classes that can be painted. */
  paintClassCount: number

  canUndo: boolean
  canRedo: boolean
  undo(): void
  redo(): void

  /** Sets (multi-class) or toggles (multi-label) the image label at this place in the class list (1-based). */
  toggleLabel(place: number): void
  clearLabels(): void
  labelled: boolean

  maskVisible: boolean
  toggleMask(): void
  predictionVisible: boolean
  togglePrediction(): void

  close(): void
  /** Absent at the ends of the image list. */
  next?(): void
  previous?(): void

  help: boolean
  toggleHelp(): void
  panel: SidePanel | null
  togglePanel(panel: SidePanel): void
  closePanel(): void
}

/**
 * Where a key applies. Scopes are tried innermost first: while a shape is drawn ('drawing'), Escape cancels
 * it; with the shortcuts sheet open ('help'), Escape closes that; with a side panel open ('panel'), that;
 * otherwise ('viewer') the image. Within one scope a key belongs to one action (a unit test checks).
 */
export type KeyScope = 'drawing' | 'help' | 'panel' | 'viewer'

/** Sections of the shortcuts sheet, in its order. */
export const ACTION_GROUPS = {
  images: 'Images',
  view: 'View',
  tools: 'Tools',
  mask: 'Mask and labels',
  history: 'History',
  panels: 'Panels and help',
} as const

export type ActionGroup = keyof typeof ACTION_GROUPS

/**
 * One thing the user can do in the viewer, in the manner of excalidraw's actions: declared once, it feeds the
 * keyboard handler, its button (the tooltip shows its keys) and the shortcuts sheet.
 */
export interface Action {
  /** Unique, stable: buttons carry it as data-action. */
  name: string
  /** What it does, in the user's words: the tooltip and the shortcuts sheet say this. */
  label: string
  /** The button's caption when shorter than the label. */
  text?: string
  group: ActionGroup
  keys?: readonly KeySpec[]
  /** Default 'viewer'. */
  scope?: KeyScope
  /** `key` is the key that was pressed (absent for a click), for actions with several keys. */
  perform(v: ViewerCommands, key?: KeySpec): void
  /** Buttons are disabled when this says no. Keys still perform: an action must be harmless when it does not apply. */
  enabled?(v: ViewerCommands): boolean
  /** For toggles and tool choices: shown as a pressed button. */
  pressed?(v: ViewerCommands): boolean
}
