import { historyActions } from './historyActions'
import { imageActions } from './imageActions'
import { formatKeys, keyMatches, type KeyPress, type KeySpec } from './keys'
import { maskActions } from './maskActions'
import { panelActions } from './panelActions'
import { toolActions } from './toolActions'
import { ACTION_GROUPS, type Action, type ActionGroup, type KeyScope, type ViewerCommands } from './types'
import { viewActions } from './viewActions'

/** Every action of the viewer, once: the keyboard, the buttons and the shortcuts sheet all read this list. */
export const viewerActions: readonly Action[] = [
  ...imageActions,
  ...viewActions,
  ...toolActions,
  ...maskActions,
  ...historyActions,
  ...panelActions,
]

/** The scopes in force, innermost first. */
export function activeScopes(v: Pick<ViewerCommands, 'shapeInProgress' | 'help' | 'panel'>): KeyScope[] {
  const out: KeyScope[] = []
  if (v.shapeInProgress) out.push('drawing')
  if (v.help) out.push('help')
  if (v.panel) out.push('panel')
  out.push('viewer')
  return out
}

/** The action a key press performs: the innermost scope with an action for that key wins. */
export function resolveKey(
  actions: readonly Action[],
  e: KeyPress,
  scopes: readonly KeyScope[],
): { action: Action; key: KeySpec } | null {
  for (const scope of scopes)
    for (const action of actions) {
      if ((action.scope ?? 'viewer') !== scope) continue
      const key = action.keys?.find((k) => keyMatches(k, e))
      if (key) return { action, key }
    }
  return null
}

const SCOPE_NOTES: Record<KeyScope, string> = {
  drawing: ' (while drawing)',
  help: ' (in this sheet)',
  panel: ' (with a side panel open)',
  viewer: '',
}

export interface ShortcutRow {
  name: string
  keys: string
  label: string
}

/** The shortcuts sheet's sections: each action with keys, as its tooltip shows them. */
export function shortcutSections(actions: readonly Action[]): { title: string; rows: ShortcutRow[] }[] {
  return (Object.keys(ACTION_GROUPS) as ActionGroup[])
    .map((group) => ({
      title: ACTION_GROUPS[group],
      rows: actions
        .filter((a) => a.group === group && a.keys?.length)
        .map((a) => ({
          name: a.name,
          keys: formatKeys(a.keys!),
          label: a.label + SCOPE_NOTES[a.scope ?? 'viewer'],
        })),
    }))
    .filter((s) => s.rows.length > 0)
}
