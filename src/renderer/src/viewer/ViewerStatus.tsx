import type { RefObject } from 'react'
import type { ImageSummary } from '../../../shared/types'
import type { MaskSession } from '../annotation/useMaskSession'
import type { View } from './viewTransform'

/** The status bar: cursor position, zoom, pyramid level, size, save state, history depth and what is wrong. */
export function ViewerStatus({
  coords,
  view,
  level,
  image,
  session,
  maskInReach,
  message,
}: {
  /** The cursor's image position is written here directly on pointer moves. */
  coords: RefObject<HTMLSpanElement | null>
  view: View | null
  level: number
  image: ImageSummary
  session: MaskSession
  maskInReach: boolean
  message: string | null
}) {
  const saveText =
    session.status.state === 'error'
      ? `Not saved: ${session.status.message} (retrying)`
      : session.status.state === 'saved'
        ? 'All changes saved'
        : 'Saving…'
  return (
    <footer className="viewer-status" role="status">
      <span className="viewer-coords">
        <span ref={coords}>—</span>
      </span>
      <span data-testid="zoom">{view ? `${Math.round(view.scale * 1000) / 10} %` : ''}</span>
      <span>level {level}</span>
      <span>
        {image.width} × {image.height}
      </span>
      <span data-testid="save-status">{saveText}</span>
      <span>
        undo {session.state?.undo ?? 0} · redo {session.state?.redo ?? 0}
      </span>
      {!maskInReach && <span>Zoom in to see and paint the mask</span>}
      {(message || session.error) && <span className="form-error">{session.error ?? message}</span>}
    </footer>
  )
}
