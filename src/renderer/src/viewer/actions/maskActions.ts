import type { KeySpec } from './keys'
import type { Action } from './types'

const DIGITS = [1, 2, 3, 4, 5, 6, 7, 8, 9]
/** The place in the class list a digit key stands for (1-based). */
const place = (key?: KeySpec) => Number(key?.key)

/** Shift+1…9: the mask class painted. Its keys are in palette order (a button's key is keys[place − 1]). */
export const paintClass: Action = {
  name: 'mask.paintClass',
  label: 'Paint with mask class 1…9',
  group: 'mask',
  keys: DIGITS.map((n) => ({ key: String(n), shift: true })),
  perform: (v, key) => v.paintWith(place(key)),
}

export const toggleMask: Action = {
  name: 'mask.toggle',
  label: 'Show or hide the mask',
  group: 'mask',
  keys: [{ key: 'm' }],
  perform: (v) => v.toggleMask(),
  pressed: (v) => v.maskVisible,
}

export const togglePrediction: Action = {
  name: 'prediction.toggle',
  label: 'Show or hide the prediction',
  group: 'mask',
  keys: [{ key: 't' }],
  perform: (v) => v.togglePrediction(),
  pressed: (v) => v.predictionVisible,
}

/** 1…9: the image's label. Keys in class-list order, as for paintClass. */
export const setLabel: Action = {
  name: 'labels.set',
  label: 'Set image label 1…9 (multi-label: toggle it)',
  group: 'mask',
  keys: DIGITS.map((n) => ({ key: String(n) })),
  perform: (v, key) => v.toggleLabel(place(key)),
}

export const clearLabels: Action = {
  name: 'labels.clear',
  label: 'Clear the image labels',
  text: 'Clear',
  group: 'mask',
  keys: [{ key: '0' }],
  perform: (v) => v.clearLabels(),
  enabled: (v) => v.labelled,
}

export const maskActions = [paintClass, toggleMask, togglePrediction, setLabel, clearLabels]
