import { clipRect, growRect, unionRect, type Rect } from './rect'

/** One changed rectangle of class indices, row-major, as sent to the core. */
export interface MaskPatch extends Rect {
  data: Uint8Array
}

/**
 * A mask of class indices kept as square tiles that exist only where something was loaded or painted, so
 * memory and every edit cost follow the area touched, never the image size. Tracks two kinds of dirt per
 * tile: what must be redrawn on screen and what must still be saved.
 */
export class TiledMask {
  /** Pixel arrays of tiles holding some class; a loaded all-background tile has none (memory follows content). */
  readonly tiles = new Map<number, Uint8Array>()
  /** Tiles whose content is known (loaded from the core, or created here by painting). */
  private loaded = new Set<number>()
  readonly cols: number
  readonly rows: number
  private drawDirty = new Map<number, Rect>()
  private saveDirty = new Map<number, Rect>()
  /** Tiles as they were before the current stroke touched them, so the stroke can be rolled back. */
  private snapshot: Map<number, Uint8Array> | null = null

  constructor(
    readonly width: number,
    readonly height: number,
    readonly tileSize = 512,
  ) {
    if (!(width > 0 && height > 0 && tileSize > 0))
      throw new Error(`Bad mask size ${width}×${height}/${tileSize}`)
    this.cols = Math.ceil(width / tileSize)
    this.rows = Math.ceil(height / tileSize)
  }

  key(tx: number, ty: number): number {
    return ty * this.cols + tx
  }

  /** The image rectangle a tile covers (edge tiles are smaller). */
  tileRect(tx: number, ty: number): Rect {
    const s = this.tileSize
    return {
      x: tx * s,
      y: ty * s,
      width: Math.min(s, this.width - tx * s),
      height: Math.min(s, this.height - ty * s),
    }
  }

  private tile(tx: number, ty: number, create: boolean): Uint8Array | undefined {
    const k = this.key(tx, ty)
    let t = this.tiles.get(k)
    if (!t && create) {
      t = new Uint8Array(this.tileSize * this.tileSize)
      if (this.snapshot && !this.snapshot.has(k)) this.snapshot.set(k, new Uint8Array(t))
      this.tiles.set(k, t)
      this.loaded.add(k)
    }
    return t
  }

  hasTile(tx: number, ty: number): boolean {
    return this.loaded.has(this.key(tx, ty))
  }

  loadedKeys(): number[] {
    return [...this.loaded]
  }

  /** Replaces one tile's content (from the core); null means all background. Not marked for saving. */
  loadTile(tx: number, ty: number, data: Uint8Array | null): void {
    const r = this.tileRect(tx, ty)
    const k = this.key(tx, ty)
    if (data) {
      if (data.length !== r.width * r.height)
        throw new Error(`Mask tile ${tx},${ty} has ${data.length} values, expected ${r.width * r.height}`)
      const t = new Uint8Array(this.tileSize * this.tileSize)
      for (let y = 0; y < r.height; y++)
        t.set(data.subarray(y * r.width, (y + 1) * r.width), y * this.tileSize)
      this.tiles.set(k, t)
    } else this.tiles.delete(k)
    this.loaded.add(k)
    this.saveDirty.delete(this.key(tx, ty))
    this.markDraw(tx, ty, 0, 0, r.width, r.height)
  }

  /** Forgets one tile to free memory; refused (false) while it holds unsaved changes. */
  unloadTile(tx: number, ty: number): boolean {
    const k = this.key(tx, ty)
    if (this.saveDirty.has(k)) return false
    this.tiles.delete(k)
    this.loaded.delete(k)
    this.drawDirty.delete(k)
    return true
  }

  unloadAll(): void {
    this.tiles.clear()
    this.loaded.clear()
    this.drawDirty.clear()
    this.saveDirty.clear()
  }

  get(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return 0
    const s = this.tileSize
    const t = this.tile((x / s) | 0, (y / s) | 0, false)
    return t ? t[(y % s) * s + (x % s)] : 0
  }

  /**
   * Sets one row span [x0, x1) at y to `value`; the unit every rasteriser writes through, so one call per
   * row and tile rather than per pixel.
   */
  fillSpan(y: number, x0: number, x1: number, value: number): void {
    if (y < 0 || y >= this.height) return
    x0 = Math.max(0, x0)
    x1 = Math.min(this.width, x1)
    const s = this.tileSize
    const ty = (y / s) | 0
    const ly = y - ty * s
    while (x0 < x1) {
      const tx = (x0 / s) | 0
      const end = Math.min(x1, (tx + 1) * s)
      const t = this.tile(tx, ty, value !== 0)
      if (t) {
        const row = ly * s - tx * s
        let changed = false
        for (let x = x0; x < end; x++)
          if (t[row + x] !== value) {
            if (!changed && this.snapshot && !this.snapshot.has(this.key(tx, ty)))
              this.snapshot.set(this.key(tx, ty), new Uint8Array(t))
            t[row + x] = value
            changed = true
          }
        if (changed) this.markChanged(tx, ty, x0 - tx * s, ly, end - x0, 1)
      }
      x0 = end
    }
  }

  // Dirty rectangles grow in place: every row span of a stroke marks one, and allocating there adds up.
  private markDraw(tx: number, ty: number, x: number, y: number, width: number, height: number): void {
    const k = this.key(tx, ty)
    const r = this.drawDirty.get(k)
    if (r) growRect(r, x, y, width, height)
    else this.drawDirty.set(k, { x, y, width, height })
  }

  private markChanged(tx: number, ty: number, x: number, y: number, width: number, height: number): void {
    this.markDraw(tx, ty, x, y, width, height)
    const k = this.key(tx, ty)
    const r = this.saveDirty.get(k)
    if (r) growRect(r, x, y, width, height)
    else this.saveDirty.set(k, { x, y, width, height })
  }

  /** Starts remembering tiles before they change (copy on first write, so the cost is per touched tile). */
  beginSnapshot(): void {
    this.snapshot = new Map()
  }

  endSnapshot(): void {
    this.snapshot = null
  }

  /** Puts every tile touched since beginSnapshot back as it was; the restore itself is a change to save. */
  rollback(): void {
    const snap = this.snapshot
    this.snapshot = null
    if (!snap) return
    for (const [k, before] of snap) {
      const tx = k % this.cols
      const ty = Math.floor(k / this.cols)
      const r = this.tileRect(tx, ty)
      const data = new Uint8Array(r.width * r.height)
      for (let y = 0; y < r.height; y++)
        data.set(before.subarray(y * this.tileSize, y * this.tileSize + r.width), y * r.width)
      this.writeRect(r, data)
    }
  }

  /** Copies a rectangle out (values outside the image read as 0). */
  readRect(r: Rect): Uint8Array {
    const out = new Uint8Array(r.width * r.height)
    const s = this.tileSize
    for (let y = 0; y < r.height; y++) {
      const iy = r.y + y
      if (iy < 0 || iy >= this.height) continue
      const ty = (iy / s) | 0
      const xe = Math.min(this.width, r.x + r.width)
      // Whole row pieces per tile, not pixel by pixel: redraws and saves copy memory, nothing more.
      for (let x = Math.max(0, r.x); x < xe;) {
        const tx = (x / s) | 0
        const end = Math.min(xe, (tx + 1) * s)
        const t = this.tiles.get(this.key(tx, ty))
        const off = (iy - ty * s) * s - tx * s
        if (t) out.set(t.subarray(off + x, off + end), y * r.width + (x - r.x))
        x = end
      }
    }
    return out
  }

  writeRect(r: Rect, data: Uint8Array): void {
    for (let y = 0; y < r.height; y++) {
      let x = 0
      while (x < r.width) {
        const v = data[y * r.width + x]
        let e = x + 1
        while (e < r.width && data[y * r.width + e] === v) e++
        this.fillSpan(r.y + y, r.x + x, r.x + e, v)
        x = e
      }
    }
  }

  /** Tiles whose pixels changed since the last call, with the changed rectangle inside each (tile coords). */
  takeDrawDirty(): { tx: number; ty: number; rect: Rect }[] {
    const out = [...this.drawDirty].map(([k, rect]) => ({
      tx: k % this.cols,
      ty: Math.floor(k / this.cols),
      rect,
    }))
    this.drawDirty.clear()
    return out
  }

  hasUnsaved(): boolean {
    return this.saveDirty.size > 0
  }

  /** The unsaved changes as patches in image coordinates (one per touched tile), clearing them. */
  takeUnsaved(): MaskPatch[] {
    const out: MaskPatch[] = []
    for (const [k, local] of this.saveDirty) {
      const tx = k % this.cols
      const ty = Math.floor(k / this.cols)
      const r = clipRect(
        {
          x: tx * this.tileSize + local.x,
          y: ty * this.tileSize + local.y,
          width: local.width,
          height: local.height,
        },
        { x: 0, y: 0, width: this.width, height: this.height },
      )
      if (r) out.push({ ...r, data: this.readRect(r) })
    }
    this.saveDirty.clear()
    return out
  }

  /** Puts patches back as unsaved after a failed save, so nothing is lost. */
  restoreUnsaved(patches: MaskPatch[]): void {
    for (const p of patches) {
      const s = this.tileSize
      for (let ty = Math.floor(p.y / s); ty * s < p.y + p.height; ty++)
        for (let tx = Math.floor(p.x / s); tx * s < p.x + p.width; tx++) {
          const r = clipRect(p, this.tileRect(tx, ty))
          if (!r) continue
          const k = this.key(tx, ty)
          this.saveDirty.set(
            k,
            unionRect(this.saveDirty.get(k), {
              x: r.x - tx * s,
              y: r.y - ty * s,
              width: r.width,
              height: r.height,
            }),
          )
        }
    }
  }
}
