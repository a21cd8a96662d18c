import type { View } from './viewTransform'

/** The brush circle in image coordinates (centre and radius in image pixels). */
export interface BrushCircle {
  x: number
  y: number
  r: number
}

/**
 * Places the brush circle, a page element over the stage, at `c` for `view`; null hides it. Moving it is a
 * transform the compositor applies, so following the pointer repaints nothing; its size (a layout) changes
 * only when the radius or the zoom does.
 */
export function placeBrushCursor(el: HTMLElement, c: BrushCircle | null, view: View): void {
  if (!c) {
    el.style.visibility = 'hidden'
    return
  }
  const r = c.r * view.scale
  const size = `${2 * r}px`
  if (el.style.width !== size) {
    el.style.width = size
    el.style.height = size
  }
  el.style.transform = `translate(${c.x * view.scale + view.x - r}px, ${c.y * view.scale + view.y - r}px)`
  el.style.visibility = 'visible'
}
