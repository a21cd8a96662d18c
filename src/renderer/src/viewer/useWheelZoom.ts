import { useEffect, type RefObject } from 'react'
import { zoomAt, type View } from './viewTransform'

/**
 * Wheel and trackpad pinch (ctrl+wheel) zoom at the cursor over `container`; a non-passive listener, so
 * the page itself does not scroll or zoom.
 */
export function useWheelZoom(
  container: RefObject<HTMLElement | null>,
  viewRef: RefObject<View | null>,
  setView: (v: View) => void,
) {
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
}
