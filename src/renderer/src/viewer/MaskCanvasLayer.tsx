import { useEffect, useRef } from 'react'
import type { View } from './viewTransform'

export interface MaskDrawTile {
  key: number
  canvas: HTMLCanvasElement
  x: number
  y: number
}

/**
 * The mask tiles' own canvases placed in the page under one CSS transform that follows the view. A brush dab
 * recolours its rectangle in one tile canvas and the compositor shows it: nothing else is redrawn, so the
 * cost of a stroke on screen is the area it touches, whatever the image or zoom.
 */
export function MaskCanvasLayer({
  tiles,
  view,
  visible,
  opacity,
  label,
}: {
  tiles: MaskDrawTile[]
  view: View
  visible: boolean
  opacity: number
  label: string
}) {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = host.current
    if (!el) return
    const wanted = new Set(tiles.map((t) => t.canvas))
    for (const c of [...el.children]) if (!wanted.has(c as HTMLCanvasElement)) c.remove()
    for (const t of tiles) {
      const c = t.canvas
      c.style.position = 'absolute'
      c.style.left = `${t.x}px`
      c.style.top = `${t.y}px`
      if (c.parentElement !== el) el.appendChild(c)
    }
  }, [tiles])
  return (
    <div
      ref={host}
      aria-label={label}
      className="mask-canvas-layer"
      style={{
        position: 'absolute',
        left: 0,
        top: 0,
        transformOrigin: '0 0',
        transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
        opacity,
        visibility: visible ? 'visible' : 'hidden',
        imageRendering: 'pixelated',
        pointerEvents: 'none',
      }}
    />
  )
}
