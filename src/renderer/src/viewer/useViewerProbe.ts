import { useEffect, useRef } from 'react'
import type { MaskSession } from '../annotation/useMaskSession'
import type { PaintSession } from './usePaintSession'
import type { Viewport } from './useViewport'
import type { View } from './viewTransform'

/** Diagnostics the E2E tests and the benchmark read: mask pixels as the viewer holds them, stroke latencies. */
export interface ViewerProbe {
  imageId: number
  maskRect(x: number, y: number, width: number, height: number): number[]
  latencies: number[]
  view(): View | null
  busy(): boolean
  /** Whether the mask on screen is loaded and can be painted. */
  editable(): boolean
  /** Image tiles wanted on screen but not drawn yet. */
  tilesPending(): number
  /** Moves the view (the benchmark pans and zooms with it). */
  setView(v: View): void
  firstPaintMs: number | null
}

declare global {
  interface Window {
    __s4miViewer?: ViewerProbe
  }
}

/** Puts the probe on `window.__s4miViewer` while this image is open, and times the first frame with image pixels. */
export function useViewerProbe(
  imageId: number,
  session: MaskSession,
  viewport: Viewport,
  paint: PaintSession,
  tiles: { drawn: number; loading: number },
  openedAt: number,
) {
  const probe = useRef<ViewerProbe | null>(null)
  const pending = useRef(0)
  pending.current = tiles.loading
  const { viewRef, setView } = viewport
  const { editable, latencies } = paint
  const editableNow = useRef(editable)
  editableNow.current = editable
  // Kept apart from the probe object: the probe is rebuilt when the mask session changes, and the
  // first paint of this opening must survive that.
  const firstPaint = useRef<{ openedAt: number; ms: number | null }>({ openedAt, ms: null })
  if (firstPaint.current.openedAt !== openedAt) firstPaint.current = { openedAt, ms: null }

  useEffect(() => {
    const p: ViewerProbe = {
      imageId,
      maskRect: (x, y, w, h) => [...session.mask.readRect({ x, y, width: w, height: h })],
      latencies,
      view: () => viewRef.current,
      busy: () => session.autosave.busy,
      editable: () => editableNow.current() !== null,
      tilesPending: () => pending.current,
      setView,
      get firstPaintMs() {
        return firstPaint.current.ms
      },
    }
    probe.current = p
    window.__s4miViewer = p
    return () => {
      if (window.__s4miViewer === p) delete window.__s4miViewer
    }
  }, [imageId, session.mask, session.autosave, latencies, viewRef, setView])

  // First paint: the first frame that shows image pixels.
  useEffect(() => {
    const opening = firstPaint.current
    if (tiles.drawn === 0 || opening.ms !== null) return
    requestAnimationFrame(() => {
      if (opening.ms === null) opening.ms = performance.now() - openedAt
    })
  }, [tiles.drawn, openedAt])
}
