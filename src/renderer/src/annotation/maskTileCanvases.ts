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
 * are recoloured (putImageData of that rectangle), so a brush dab costs its own area on screen as well.
 * Opacity is applied by the layer, so the canvases hold opaque class colours.
 */
export class MaskTileCanvases {
  readonly canvases = new Map<number, HTMLCanvasElement>()
  private palette: Uint8ClampedArray

  constructor(
    private mask: TiledMask,
    colours: readonly string[],
  ) {
    this.palette = classPalette(colours)
  }

  setColours(colours: readonly string[]): void {
    this.palette = classPalette(colours)
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
    for (const { tx, ty, rect } of this.mask.takeDrawDirty()) added = this.paint(tx, ty, rect) || added
    return added
  }

  drop(tx: number, ty: number): void {
    this.canvases.delete(this.mask.key(tx, ty))
  }

  clear(): void {
    this.canvases.clear()
  }

  private paint(
    tx: number,
    ty: number,
    rect: { x: number; y: number; width: number; height: number },
  ): boolean {
    const k = this.mask.key(tx, ty)
    let c = this.canvases.get(k)
    // An all-background tile needs no canvas until something is painted on it.
    if (!c && !this.mask.tiles.has(k)) return false
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
    const img = ctx.createImageData(w, h)
    const x0 = tx * this.mask.tileSize + rect.x
    const y0 = ty * this.mask.tileSize + rect.y
    const region = this.mask.readRect({ x: x0, y: y0, width: w, height: h })
    const pal = this.palette
    const px = img.data
    for (let i = 0; i < region.length; i++) {
      const v = region[i] * 4
      px[i * 4] = pal[v]
      px[i * 4 + 1] = pal[v + 1]
      px[i * 4 + 2] = pal[v + 2]
      px[i * 4 + 3] = pal[v + 3]
    }
    ctx.putImageData(img, rect.x, rect.y)
    return added
  }
}
