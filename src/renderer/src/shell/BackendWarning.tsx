import { useEffect, useRef, useState } from 'react'
import type { BackendStatus } from '../../../shared/api'

/**
 * The backend's warning in the status bar: one line there, and the whole text (with why each faster backend
 * was skipped) in a popover on click, so nothing is cut off. Escape or a click elsewhere closes it.
 */
export function BackendWarning({ backend }: { backend: BackendStatus }) {
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLSpanElement>(null)
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false)
    const onDown = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false)
    window.addEventListener('keydown', onKey)
    window.addEventListener('mousedown', onDown)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('mousedown', onDown)
    }
  }, [open])
  const text = backend.warning ?? 'Slow fallback backend: training will take much longer than on a native one'
  return (
    <span className="status-item status-warning" ref={box}>
      <button
        type="button"
        className="status-warning-button"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen((o) => !o)}
      >
        ⚠ {text}
      </button>
      {open && (
        <div className="status-popover" role="dialog" aria-label="Backend warning">
          <p>{text}</p>
          {backend.skipped.length > 0 && (
            <>
              <p>Faster backends skipped:</p>
              <ul>
                {backend.skipped.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </span>
  )
}
