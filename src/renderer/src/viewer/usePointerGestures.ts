import { useEffect, useRef } from 'react'
import { PAN_HOLD_KEY } from './actions/gestures'
import { isTypingTarget, keyMatches } from './actions/keys'
import type { PaintSession } from './usePaintSession'
import type { Viewport } from './useViewport'
import { screenToImage, zoomAt } from './viewTransform'

/**
 * Pointer input on the canvas: a drag pans (middle or right button, Space held, the pan tool), two fingers
 * pinch-zoom, the wheel zooms at the cursor; otherwise the events go to the current paint tool in image
 * coordinates. The cursor's image position is written straight into `coords` (no React render per move).
 */
export function usePointerGestures(
  viewport: Viewport,
  paint: PaintSession,
  image: { width: number; height: number },
  onMessage: (message: string) => void,
) {
  const { container, viewRef, setView } = viewport
  const { toolbox } = paint
  const coords = useRef<HTMLSpanElement>(null)
  const pan = useRef<{ x: number; y: number } | null>(null)
  const spaceHeld = useRef(false)
  const touches = useRef(new Map<number, { x: number; y: number }>())
  const local = (e: { clientX: number; clientY: number }) => {
    const b = container.current!.getBoundingClientRect()
    return { x: e.clientX - b.left, y: e.clientY - b.top }
  }

  const onPointerDown = (e: React.PointerEvent) => {
    const v = viewRef.current
    if (!v) return
    container.current?.focus()
    e.currentTarget.setPointerCapture(e.pointerId)
    const s = local(e)
    if (e.pointerType === 'touch') {
      touches.current.set(e.pointerId, s)
      if (touches.current.size === 2) {
        toolbox.cancel()
        return
      }
    }
    if (e.button === 1 || e.button === 2 || spaceHeld.current || toolbox.current.pans) {
      pan.current = s
      return
    }
    if (e.button !== 0) return
    const pt = screenToImage(v, s.x, s.y)
    const why = paint.refusal()
    if (why) onMessage(why)
    toolbox.pointerDown(pt)
    paint.showPreview(pt)
  }

  const onPointerMove = (e: React.PointerEvent) => {
    const v = viewRef.current
    if (!v) return
    const s = local(e)
    if (e.pointerType === 'touch' && touches.current.has(e.pointerId)) {
      const before = [...touches.current.values()]
      touches.current.set(e.pointerId, s)
      if (touches.current.size === 2) {
        const after = [...touches.current.values()]
        const d0 = Math.hypot(before[0].x - before[1].x, before[0].y - before[1].y)
        const d1 = Math.hypot(after[0].x - after[1].x, after[0].y - after[1].y)
        const mx = (after[0].x + after[1].x) / 2
        const my = (after[0].y + after[1].y) / 2
        if (d0 > 0) setView(zoomAt(v, d1 / d0, mx, my))
        return
      }
    }
    if (pan.current) {
      const dx = s.x - pan.current.x
      const dy = s.y - pan.current.y
      pan.current = s
      setView({ ...v, x: v.x + dx, y: v.y + dy })
      return
    }
    const pt = screenToImage(v, s.x, s.y)
    if (coords.current)
      coords.current.textContent =
        pt.x >= 0 && pt.y >= 0 && pt.x < image.width && pt.y < image.height
          ? `x ${Math.floor(pt.x)}, y ${Math.floor(pt.y)}`
          : '—'
    if (toolbox.busy) {
      // Every position the pointer passed since the last event, so a fast stroke stays a smooth line.
      const events = e.nativeEvent.getCoalescedEvents?.() ?? []
      paint.strokeTo(
        (events.length ? events : [e.nativeEvent]).map((ce) => {
          const c = local(ce)
          return screenToImage(v, c.x, c.y)
        }),
        e.timeStamp,
      )
    }
    paint.showPreview(pt)
  }

  const onPointerUp = (e: React.PointerEvent) => {
    touches.current.delete(e.pointerId)
    if (pan.current) {
      pan.current = null
      return
    }
    const v = viewRef.current
    if (!v) return
    const s = local(e)
    const pt = screenToImage(v, s.x, s.y)
    toolbox.pointerUp(pt)
    paint.showPreview(pt)
  }

  // Wheel and trackpad pinch (ctrl+wheel) zoom at the cursor; needs a non-passive listener to keep the page still.
  useEffect(() => {
    const el = container.current
    if (!el) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const v = viewRef.current
      if (!v) return
      const b = el.getBoundingClientRect()
      const speed = e.ctrlKey ? 0.01 : 0.0015
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY
      setView(zoomAt(v, Math.exp(-dy * speed), e.clientX - b.left, e.clientY - b.top))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [container, viewRef, setView])

  // Space held: a drag pans whatever the tool.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || !keyMatches(PAN_HOLD_KEY, e)) return
      spaceHeld.current = true
      e.preventDefault()
    }
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === PAN_HOLD_KEY.key) spaceHeld.current = false
    }
    window.addEventListener('keydown', onKeyDown)
    window.addEventListener('keyup', onKeyUp)
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      window.removeEventListener('keyup', onKeyUp)
    }
  }, [])

  const finishShape = () => {
    if (toolbox.complete()) paint.showPreview(null)
  }
  return {
    coords,
    handlers: {
      onPointerDown,
      onPointerMove,
      onPointerUp,
      onPointerCancel: onPointerUp,
      onPointerLeave: () => paint.showPreview(null),
      // The double-click closes a polygon.
      onDoubleClick: finishShape,
      onContextMenu: (e: React.MouseEvent) => e.preventDefault(),
    },
  }
}
