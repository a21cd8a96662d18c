import { formatKey, type KeySpec } from './keys'

/** Held down, a drag moves the view whatever the tool (the pointer gestures read it). */
export const PAN_HOLD_KEY: KeySpec = { key: ' ' }

/** Pointer gestures, for the shortcuts sheet: they have no action of their own. */
export const GESTURES: readonly { input: string; label: string }[] = [
  { input: 'Wheel · pinch', label: 'Zoom at the cursor' },
  { input: `${formatKey(PAN_HOLD_KEY)}+drag · middle or right drag`, label: 'Move the view' },
  { input: 'Double-click', label: 'Close the polygon and fill it' },
]
