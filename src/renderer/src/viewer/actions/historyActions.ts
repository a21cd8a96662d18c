import type { Action } from './types'

export const undo: Action = {
  name: 'history.undo',
  label: 'Undo',
  group: 'history',
  keys: [{ key: 'z', ctrl: true }],
  perform: (v) => v.undo(),
  enabled: (v) => v.canUndo,
}

export const redo: Action = {
  name: 'history.redo',
  label: 'Redo',
  group: 'history',
  keys: [
    { key: 'z', ctrl: true, shift: true },
    { key: 'y', ctrl: true },
  ],
  perform: (v) => v.redo(),
  enabled: (v) => v.canRedo,
}

export const historyActions = [undo, redo]
