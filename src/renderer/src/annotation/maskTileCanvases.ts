import { clipRect, type Rect } from './rect'
import { DEFAULT_OVERLAY, overlayPixels, sameStyle, type OverlayStyle } from './overlayStyle'
import type { TiledMask } from './tiledMask'

/** RGBA per class index (index 0, background, is transparent). */
function classPalette(colours: readonly string[]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 4)
  for (let k = 1; k < 256; k++) {
    const m = /^#([0-9a-f]{6})$/i.exec(colours[k - 1] ?? '')
    // Indices past the known classes show in magenta so a bad value is seen, not hidden.
    const n = m ? parseInt(m[1], 16) : 0xff00ff
    out.set([(n >> 16) & 255, (n >> 8) & 255, n & 255, 255], k * 4)
  }
  return out
}

/**
 * One canvas per loaded mask tile, the mask layer's pixels. Only the rectangles the mask reports as changed
 * are recoloured (putImageData of that rectangle, grown by the outline width so outlines follow the edit), so
 * a brush dab costs its own area on screen as well. The overlay style (fill, outline or both, opacities,
 * hidden classes, dashes) is baked into the pixels; a style change repaints the loaded tiles once.
 */
export class MaskTileCanvases {
  readonly canvases = new Map<number, HTMLCanvasElement>()
  private palette: Uint8ClampedArray
  private style: OverlayStyle = DEFAULT_OVERLAY
  /** One tile's RGBA, reused by every recolouring (a brush dab allocates no pixels of its own). */
  private scratch: ImageData | null = null

  constructor(
    private mask: TiledMask,
    colours: readonly string[],
  ) {
    this.palette = classPalette(colours)
  }

  setColours(colours: readonly string[]): void {
    this.palette = classPalette(colours)
    this.repaintAll()
  }

  setStyle(style: OverlayStyle): void {
    if (sameStyle(style, this.style)) return
    this.style = style
    this.repaintAll()
  }

  private repaintAll(): void {
    for (const k of this.canvases.keys()) {
      const tx = k % this.mask.cols
      const ty = Math.floor(k / this.mask.cols)
      this.paint(tx, ty, { x: 0, y: 0, ...this.size(tx, ty) })
    }
  }

  private size(tx: number, ty: number) {
    const r = this.mask.tileRect(tx, ty)
    return { width: r.width, height: r.height }
  }

  canvas(tx: number, ty: number): HTMLCanvasElement | undefined {
    return this.canvases.get(this.mask.key(tx, ty))
  }

  /** Recolours what changed; returns whether a tile got its first canvas (the layer needs a new node). */
  update(): boolean {
    let added = false
    const grow = this.style.mode === 'fill' ? 0 : Math.ceil(this.style.outlineWidth) + 1
    for (const { tx, ty, rect } of this.mask.takeDrawDirty()) {
      if (grow === 0) {
        added = this.paint(tx, ty, rect) || added
        continue
      }
      // An edit moves outlines up to `grow` pixels around it, possibly in the neighbouring tiles.
      const s = this.mask.tileSize
      const image: Rect = {
        x: tx * s + rect.x - grow,
        y: ty * s + rect.y - grow,
        width: rect.width + 2 * grow,
        height: rect.height + 2 * grow,
      }
      for (let ny = Math.max(0, ty - 1); ny <= Math.min(this.mask.rows - 1, ty + 1); ny++)
        for (let nx = Math.max(0, tx - 1); nx <= Math.min(this.mask.cols - 1, tx + 1); nx++) {
          const t = this.mask.tileRect(nx, ny)
          const part = clipRect(image, t)
          if (!part) continue
          const local = { x: part.x - t.x, y: part.y - t.y, width: part.width, height: part.height }
          const got = this.paint(nx, ny, local, nx === tx && ny === ty)
          added = got || added
        }
    }
    return added
  }

  drop(tx: number, ty: number): void {
    this.canvases.delete(this.mask.key(tx, ty))
  }

  clear(): void {
    this.canvases.clear()
  }

  /** Paints `rect` (tile coordinates) of a tile; a tile without a canvas gets one only if it is `own` dirt. */
  private paint(tx: number, ty: number, rect: Rect, own = true): boolean {
    const k = this.mask.key(tx, ty)
    let c = this.canvases.get(k)
    // An all-background tile needs no canvas until something is painted on it.
    if (!c && (!own || !this.mask.tiles.has(k))) return false
    const added = !c
    if (!c) {
      c = document.createElement('canvas')
      const { width, height } = this.size(tx, ty)
      c.width = width
      c.height = height
      this.canvases.set(k, c)
    }
    const ctx = c.getContext('2d')!
    const w = Math.min(rect.width, c.width - rect.x)
    const h = Math.min(rect.height, c.height - rect.y)
    if (w <= 0 || h <= 0) return added
    const s = this.mask.tileSize
    const img = (this.scratch ??= ctx.createImageData(s, s))
    const target = {
      x: tx * s + rect.x,
      y: ty * s + rect.y,
      width: w,
      height: h,
    }
    const grow = this.style.mode === 'fill' ? 0 : Math.ceil(this.style.outlineWidth) + 1
    const area = clipRect(
      { x: target.x - grow, y: target.y - grow, width: w + 2 * grow, height: h + 2 * grow },
      { x: 0, y: 0, width: this.mask.width, height: this.mask.height },
    )!
    overlayPixels(this.mask.readRect(area), area, target, this.palette, this.style, img.data, s)
    // The rectangle was written at the scratch's top left: put that part at rect.
    ctx.putImageData(img, rect.x, rect.y, 0, 0, w, h)
    return added
  }
}
