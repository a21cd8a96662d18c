import { useEffect, useRef } from 'react'
import type { DrawTile } from './useImageTiles'
import { visibleImageRect, type View } from './viewTransform'

const SIZE = 180

/** The whole image small, with the part on screen outlined; click or drag to move there. */
export function Minimap({
  imageWidth,
  imageHeight,
  backdrop,
  view,
  viewport,
  onCentre,
}: {
  imageWidth: number
  imageHeight: number
  /** Tiles of the coarsest level (they cover the whole image). */
  backdrop: DrawTile[]
  view: View
  viewport: { width: number; height: number }
  onCentre: (x: number, y: number) => void
}) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const k = SIZE / Math.max(imageWidth, imageHeight)
  const w = Math.max(1, Math.round(imageWidth * k))
  const h = Math.max(1, Math.round(imageHeight * k))
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d')
    if (!ctx) return
    ctx.clearRect(0, 0, w, h)
    for (const t of backdrop) ctx.drawImage(t.image, t.x * k, t.y * k, t.width * k, t.height * k)
    const r = visibleImageRect(view, viewport.width, viewport.height, imageWidth, imageHeight)
    if (r) {
      ctx.strokeStyle = '#ffeb3b'
      ctx.lineWidth = 2
      ctx.strokeRect(r.x * k, r.y * k, Math.max(2, r.width * k), Math.max(2, r.height * k))
    }
  }, [backdrop, view, viewport, imageWidth, imageHeight, k, w, h])
  const move = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.buttons !== 1) return
    const el = e.currentTarget
    const b = el.getBoundingClientRect()
    onCentre((e.clientX - b.left - el.clientLeft) / k, (e.clientY - b.top - el.clientTop) / k)
  }
  return (
    <canvas
      ref={canvas}
      className="viewer-minimap"
      width={w}
      height={h}
      aria-label="Minimap"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId)
        move(e)
      }}
      onPointerMove={move}
    />
  )
}
