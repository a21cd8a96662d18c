import { useEffect, useRef } from 'react'
import { isTypingTarget, keyMatches, type KeySpec } from './actions/keys'

/** Whether `spec` is held down now (read in pointer handlers); its presses do nothing else. */
export function useHeldKey(spec: KeySpec) {
  const held = useRef(false)
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || !keyMatches(spec, e)) return
      held.current = true
      e.preventDefault()
    }
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === spec.key) held.current = false
    }
    window.addEventListener('keydown', onKeyDown)
    window.addEventListener('keyup', onKeyUp)
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      window.removeEventListener('keyup', onKeyUp)
    }
  }, [spec])
  return held
}
