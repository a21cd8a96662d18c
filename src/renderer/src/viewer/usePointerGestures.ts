import { useRef, useState } from 'react'
import { PAN_HOLD_KEY } from './actions/gestures'
import { cursorReadout } from './cursorReadout'
import { useHeldKey } from './useHeldKey'
import type { PaintSession } from './usePaintSession'
import type { Viewport } from './useViewport'
import { useWheelZoom } from './useWheelZoom'
import { pinchZoom, screenToImage } from './viewTransform'

/**
 * Pointer input on the canvas: a drag pans (middle or right button, Space held, the pan tool), two fingers
 * pinch-zoom, the wheel zooms at the cursor; otherwise the events go to the current paint tool in image
 * coordinates. The cursor's image position goes into `coords` once per frame (no React render per move).
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
  const [showCoords] = useState(() => cursorReadout(() => coords.current))
  const pan = useRef<{ x: number; y: number } | null>(null)
  const spaceHeld = useHeldKey(PAN_HOLD_KEY)
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
        setView(pinchZoom(v, before, [...touches.current.values()]))
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
    if (toolbox.busy) {
      // Every position the pointer passed since the last event, so a fast stroke stays a smooth line. The
      // container's place is read once above: reading it again after a DOM write would force a layout.
      const events = e.nativeEvent.getCoalescedEvents?.() ?? []
      const dx = s.x - e.clientX
      const dy = s.y - e.clientY
      paint.strokeTo(
        events.length > 1 ? events.map((ce) => screenToImage(v, ce.clientX + dx, ce.clientY + dy)) : [pt],
        e.timeStamp,
      )
    }
    paint.showPreview(pt)
    showCoords(
      pt.x >= 0 && pt.y >= 0 && pt.x < image.width && pt.y < image.height
        ? `x ${Math.floor(pt.x)}, y ${Math.floor(pt.y)}`
        : '—',
    )
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

  useWheelZoom(container, viewRef, setView)

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
