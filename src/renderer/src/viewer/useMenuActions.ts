import { useEffect, useRef } from 'react'
import { client } from '../api/client'
import { isTypingTarget } from './actions/keys'
import type { Action, ViewerCommands } from './actions/types'

/** The menu's undo and redo act on a text field when one has the focus, as the OS's own Edit menu does. */
const TEXT_EDITS: Record<string, 'undo' | 'redo'> = { 'history.undo': 'undo', 'history.redo': 'redo' }

/** The desktop menu's viewer commands: each names an action of the registry, performed like its key. */
export function useMenuActions(actions: readonly Action[], commands: ViewerCommands) {
  const latest = useRef(commands)
  latest.current = commands
  useEffect(
    () =>
      client.onEvent((e) => {
        if (e.type !== 'menu' || e.command.type !== 'action') return
        const name = e.command.name
        if (TEXT_EDITS[name] && isTypingTarget(document.activeElement)) {
          document.execCommand(TEXT_EDITS[name])
          return
        }
        actions.find((a) => a.name === name)?.perform(latest.current)
      }),
    [actions],
  )
}
