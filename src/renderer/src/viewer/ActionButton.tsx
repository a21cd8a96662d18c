import type { ReactNode } from 'react'
import { ariaKey, formatKey, formatKeys } from './actions/keys'
import type { Action, ViewerCommands } from './actions/types'

/** The tooltip of an action's button: what it does and its keys, as the shortcuts sheet lists them. */
export function actionTitle(action: Action, label = action.label, keyIndex?: number): string {
  const keys = action.keys ?? []
  const shown = keyIndex === undefined ? formatKeys(keys) : keys[keyIndex] ? formatKey(keys[keyIndex]) : ''
  return shown ? `${label} (${shown})` : label
}

/**
 * A button that performs an action. `keyIndex` picks one of its keys (the class buttons: key n for class n);
 * `label`, `onClick` and `pressed` let such a per-item button say and do its part of the action.
 */
export function ActionButton({
  action,
  v,
  keyIndex,
  label,
  onClick,
  pressed,
  children,
}: {
  action: Action
  v: ViewerCommands
  keyIndex?: number
  label?: string
  onClick?: () => void
  pressed?: boolean
  children?: ReactNode
}) {
  const keys =
    keyIndex === undefined ? (action.keys ?? []) : (action.keys ?? []).slice(keyIndex, keyIndex + 1)
  return (
    <button
      type="button"
      data-action={action.name}
      title={actionTitle(action, label, keyIndex)}
      aria-keyshortcuts={keys.length ? keys.map(ariaKey).join(' ') : undefined}
      aria-pressed={pressed ?? action.pressed?.(v)}
      disabled={action.enabled ? !action.enabled(v) : undefined}
      onClick={onClick ?? (() => action.perform(v))}
    >
      {children ?? action.text ?? action.label}
    </button>
  )
}
