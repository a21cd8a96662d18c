import { TOOLS } from '../../annotation/tools/toolbox'
import type { ToolName } from '../../annotation/tools/toolMachine'
import type { Action } from './types'

const TOOL_KEYS: Record<ToolName, string> = {
  pan: 'v',
  brush: 'b',
  eraser: 'e',
  fill: 'g',
  polygon: 'p',
  lasso: 'l',
}

/** One action per paint tool: its key chooses it, its button in the tools row shows it chosen. */
export const chooseTool: Action[] = TOOLS.map((t) => ({
  name: `tool.${t.name}`,
  label: t.hint,
  text: t.label,
  group: 'tools',
  keys: [{ key: TOOL_KEYS[t.name] }],
  perform: (v) => v.selectTool(t.name),
  pressed: (v) => v.tool === t.name,
}))

export const smallerBrush: Action = {
  name: 'brush.smaller',
  label: 'Smaller brush',
  group: 'tools',
  keys: [{ key: '[' }],
  perform: (v) => v.resizeBrush(-1),
}

export const largerBrush: Action = {
  name: 'brush.larger',
  label: 'Larger brush',
  group: 'tools',
  keys: [{ key: ']' }],
  perform: (v) => v.resizeBrush(1),
}

const finishShape: Action = {
  name: 'shape.finish',
  label: 'Close the polygon and fill it',
  group: 'tools',
  keys: [{ key: 'Enter' }],
  scope: 'drawing',
  perform: (v) => v.finishShape(),
}

const cancelShape: Action = {
  name: 'shape.cancel',
  label: 'Cancel the stroke or shape being drawn',
  group: 'tools',
  keys: [{ key: 'Escape' }],
  scope: 'drawing',
  perform: (v) => v.cancelShape(),
}

export const toolActions = [...chooseTool, smallerBrush, largerBrush, finishShape, cancelShape]
