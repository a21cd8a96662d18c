import type { Rect } from '../annotation/rect'

/** Screen position of image pixel (ix, iy): (ix·scale + x, iy·scale + y). */
export interface View {
  scale: number
  x: number
  y: number
}

const MIN_SCALE = 1 / 256
const MAX_SCALE = 32

/** The whole image centred in the viewport, with a small margin. */
export function fitView(imageW: number, imageH: number, viewW: number, viewH: number, margin = 16): View {
  const scale = Math.max(
    MIN_SCALE,
    Math.min((viewW - 2 * margin) / imageW, (viewH - 2 * margin) / imageH, MAX_SCALE),
  )
  return { scale, x: (viewW - imageW * scale) / 2, y: (viewH - imageH * scale) / 2 }
}

/** 1:1 (one image pixel per screen pixel) keeping the image point under (px, py) in place. */
export function actualSizeView(view: View, px: number, py: number): View {
  return zoomAt(view, 1 / view.scale, px, py)
}

/** Zooms by `factor` around the screen point (px, py): the image pixel under it stays under it. */
export function zoomAt(view: View, factor: number, px: number, py: number): View {
  const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, view.scale * factor))
  const k = scale / view.scale
  return { scale, x: px - (px - view.x) * k, y: py - (py - view.y) * k }
}

type ScreenPoint = { x: number; y: number }

/** Two fingers moved from `before` to `after`: zoom by how far apart they went, around their midpoint. */
export function pinchZoom(view: View, before: ScreenPoint[], after: ScreenPoint[]): View {
  const d0 = Math.hypot(before[0].x - before[1].x, before[0].y - before[1].y)
  const d1 = Math.hypot(after[0].x - after[1].x, after[0].y - after[1].y)
  if (d0 === 0) return view
  return zoomAt(view, d1 / d0, (after[0].x + after[1].x) / 2, (after[0].y + after[1].y) / 2)
}

export function screenToImage(view: View, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - view.x) / view.scale, y: (sy - view.y) / view.scale }
}

/** The image pixels on screen (whole pixels, clamped to the image), or null when the image is off screen. */
export function visibleImageRect(
  view: View,
  viewW: number,
  viewH: number,
  imageW: number,
  imageH: number,
): Rect | null {
  const a = screenToImage(view, 0, 0)
  const b = screenToImage(view, viewW, viewH)
  const x0 = Math.max(0, Math.floor(a.x))
  const y0 = Math.max(0, Math.floor(a.y))
  const x1 = Math.min(imageW, Math.ceil(b.x))
  const y1 = Math.min(imageH, Math.ceil(b.y))
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null
}

/**
 * The pyramid level to draw at `scale`: the coarsest one that still has at least one level pixel per screen
 * pixel (level k holds the image at 1/2^k), so zooming out never draws more pixels than the screen has.
 */
export function levelForScale(scale: number, levelCount: number): number {
  if (scale >= 1) return 0
  const k = Math.floor(Math.log2(1 / scale) + 1e-9)
  return Math.max(0, Math.min(levelCount - 1, k))
}

/** Tiles of a grid of `tileSize` (in the level's pixels; the level is 1/2^level of the image) meeting an image rect. */
export function tilesCovering(
  rect: Rect,
  level: number,
  tileSize: number,
  cols: number,
  rows: number,
): [number, number][] {
  const span = tileSize * 2 ** level
  const out: [number, number][] = []
  const tx0 = Math.max(0, Math.floor(rect.x / span))
  const ty0 = Math.max(0, Math.floor(rect.y / span))
  const tx1 = Math.min(cols - 1, Math.floor((rect.x + rect.width - 1) / span))
  const ty1 = Math.min(rows - 1, Math.floor((rect.y + rect.height - 1) / span))
  for (let ty = ty0; ty <= ty1; ty++) for (let tx = tx0; tx <= tx1; tx++) out.push([tx, ty])
  return out
}
