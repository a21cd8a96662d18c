import { useEffect, useRef } from 'react'
import { isTypingTarget } from './actions/keys'
import { activeScopes, resolveKey } from './actions/registry'
import type { Action, ViewerCommands } from './actions/types'

/** The keyboard: each key press performs the action the registry gives it in the scopes in force. */
export function useActionKeys(actions: readonly Action[], commands: ViewerCommands) {
  const latest = useRef(commands)
  latest.current = commands
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Typing goes to text fields and choices (Escape still closes what is open).
      if (isTypingTarget(e.target) && e.key !== 'Escape') return
      const v = latest.current
      const hit = resolveKey(actions, e, activeScopes(v))
      if (!hit) return
      e.preventDefault()
      hit.action.perform(v, hit.key)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [actions])
}
