import type { Project } from '../store/project'
import {
  holdsAnyClass,
  MASK_TILE,
  parseMaskManifest,
  TILED_MASK_ABOVE,
  TILED_MASK_FORMAT,
  type TiledMaskManifest,
} from '../store/maskManifest'
import {
  decodeMaskPng,
  encodeMaskPng,
  loadMaskBlob,
  maskRegion,
  type MaskPatchInput,
  type MaskRaster,
} from './maskRaster'
import { LruCache } from './lruCache'

/**
 * Masks stored as tiles: a manifest naming one PNG blob per MASK_TILE square that holds any class (absent
 * tiles are background). A stroke rewrites only the tiles it touches (the others keep their blobs), and
 * every read (viewer tiles, training crops, exports) decodes only the tiles it needs. Mask revisions of
 * images bigger than one tile are stored so (store/maskManifest.ts revisionsTiled); so are predictions
 * of whole slides (above TILED_MASK_ABOVE pixels), whose single raster would not fit in memory.
 */

export { MASK_TILE, TILED_MASK_ABOVE }
const FORMAT = TILED_MASK_FORMAT
export type { TiledMaskManifest }

export function usesTiledMask(size: { width: number; height: number }): boolean {
  return size.width * size.height > TILED_MASK_ABOVE
}

const parseManifest = parseMaskManifest

/** Decoded tiles, by blob (content-addressed, so never stale): enough for a screenful and a stroke. */
const decodedTiles = new LruCache<Uint8Array>(96)

async function tilePixels(project: Project, blob: string): Promise<Uint8Array> {
  const hit = decodedTiles.get(blob)
  if (hit) return hit
  const m = await decodeMaskPng(project.blobs.get(blob), `Mask tile ${blob.slice(0, 12)}`)
  decodedTiles.set(blob, m.data)
  return m.data
}

/** A stored mask, read by rectangles whichever way it is stored. */
export interface StoredMask {
  width: number
  height: number
  tiled: boolean
  /** Class indices of a rectangle, row-major; null when it is all background. */
  region(x: number, y: number, width: number, height: number): Promise<Uint8Array | null>
}

export async function openStoredMask(project: Project, blob: string): Promise<StoredMask> {
  const bytes = project.blobs.get(blob)
  const manifest = parseManifest(bytes)
  if (!manifest) {
    const raster = await loadMaskBlob(project, blob)
    return {
      width: raster.width,
      height: raster.height,
      tiled: false,
      region: async (x, y, w, h) => maskRegion(raster, x, y, w, h),
    }
  }
  const { width, height, tileSize: s, tiles } = manifest
  return {
    width,
    height,
    tiled: true,
    region: async (x, y, w, h) => {
      if (x < 0 || y < 0 || x + w > width || y + h > height)
        throw new Error(`Mask region ${x},${y} ${w}×${h} reaches outside the ${width}×${height} mask`)
      let stored = false
      for (let ty = Math.floor(y / s); !stored && ty * s < y + h; ty++)
        for (let tx = Math.floor(x / s); !stored && tx * s < x + w; tx++) stored = `${tx},${ty}` in tiles
      if (!stored) return null // no tile here holds a class: skip the allocation (most of a slide)
      const out = new Uint8Array(w * h)
      let any = false
      for (let ty = Math.floor(y / s); ty * s < y + h; ty++)
        for (let tx = Math.floor(x / s); tx * s < x + w; tx++) {
          const blob = tiles[`${tx},${ty}`]
          if (!blob) continue
          any = true
          const px = await tilePixels(project, blob)
          const tw = Math.min(s, width - tx * s)
          const x0 = Math.max(x, tx * s)
          const x1 = Math.min(x + w, tx * s + tw)
          for (let r = Math.max(y, ty * s); r < Math.min(y + h, ty * s + s, height); r++) {
            const from = (r - ty * s) * tw + (x0 - tx * s)
            out.set(px.subarray(from, from + (x1 - x0)), (r - y) * w + (x0 - x))
          }
        }
      return any && holdsAnyClass(out) ? out : null
    },
  }
}

/**
 * The whole mask in a blob as one raster, whichever way it is stored (exports write one PNG per image).
 * Do not use it for whole slides: their raster is the size of the slide.
 */
export async function loadComposedMask(project: Project, blob: string): Promise<MaskRaster> {
  const mask = await openStoredMask(project, blob)
  if (!mask.tiled) return loadMaskBlob(project, blob)
  const data = (await mask.region(0, 0, mask.width, mask.height)) ?? new Uint8Array(mask.width * mask.height)
  return { width: mask.width, height: mask.height, data }
}

/**
 * Builds a tiled mask from rectangles written into it (a stroke's patches, a prediction's tiles, polygons
 * rasterised from GeoJSON), starting from an earlier manifest or from background. Only tiles written to
 * are decoded and re-encoded; the others keep their blobs.
 */
export class TiledMaskWriter {
  private readonly touched = new Map<string, Uint8Array>()
  private readonly tiles: Record<string, string>

  readonly tileSize: number

  constructor(
    private readonly project: Project,
    readonly width: number,
    readonly height: number,
    base: TiledMaskManifest | null = null,
  ) {
    this.tiles = { ...(base?.tiles ?? {}) }
    this.tileSize = base?.tileSize ?? MASK_TILE
  }

  static async from(project: Project, blob: string | null, size: { width: number; height: number }) {
    const manifest = blob ? parseManifest(project.blobs.get(blob)) : null
    if (blob && !manifest) {
      // A revision stored whole (before the image counted as big): carry it over tile by tile.
      const w = new TiledMaskWriter(project, size.width, size.height)
      const raster = await loadMaskBlob(project, blob)
      await w.write({ x: 0, y: 0, width: raster.width, height: raster.height, data: raster.data })
      return w
    }
    return new TiledMaskWriter(project, size.width, size.height, manifest)
  }

  private tileRect(tx: number, ty: number) {
    const s = this.tileSize
    return { w: Math.min(s, this.width - tx * s), h: Math.min(s, this.height - ty * s) }
  }

  private async tile(tx: number, ty: number): Promise<Uint8Array> {
    const key = `${tx},${ty}`
    let t = this.touched.get(key)
    if (!t) {
      const blob = this.tiles[key]
      const { w, h } = this.tileRect(tx, ty)
      t = blob ? new Uint8Array(await tilePixels(this.project, blob)) : new Uint8Array(w * h)
      this.touched.set(key, t)
    }
    return t
  }

  /** Writes a rectangle of class indices (row-major, width × height). */
  async write(p: MaskPatchInput): Promise<void> {
    const s = this.tileSize
    if (p.x < 0 || p.y < 0 || p.x + p.width > this.width || p.y + p.height > this.height)
      throw new Error(
        `Mask patch ${p.x},${p.y} ${p.width}×${p.height} reaches outside the ${this.width}×${this.height} image`,
      )
    for (let ty = Math.floor(p.y / s); ty * s < p.y + p.height; ty++)
      for (let tx = Math.floor(p.x / s); tx * s < p.x + p.width; tx++) {
        const t = await this.tile(tx, ty)
        const { w } = this.tileRect(tx, ty)
        const x0 = Math.max(p.x, tx * s)
        const x1 = Math.min(p.x + p.width, tx * s + w)
        for (let r = Math.max(p.y, ty * s); r < Math.min(p.y + p.height, (ty + 1) * s); r++) {
          const from = (r - p.y) * p.width + (x0 - p.x)
          t.set(p.data.subarray(from, from + (x1 - x0)), (r - ty * s) * w + (x0 - tx * s))
        }
      }
  }

  /** Stores the tiles touched so far and lets go of their pixels: a writer of a whole slide stays small. */
  async flush(): Promise<void> {
    for (const [key, data] of this.touched) {
      const [tx, ty] = key.split(',').map(Number)
      const { w, h } = this.tileRect(tx, ty)
      if (!holdsAnyClass(data)) delete this.tiles[key]
      else {
        const blob = this.project.blobs.put(await encodeMaskPng({ width: w, height: h, data }))
        decodedTiles.set(blob, data)
        this.tiles[key] = blob
      }
    }
    this.touched.clear()
  }

  /** Stores the touched tiles and the manifest; returns the manifest's blob. */
  async finish(): Promise<string> {
    await this.flush()
    const manifest: TiledMaskManifest = {
      format: FORMAT,
      version: 1,
      width: this.width,
      height: this.height,
      tileSize: this.tileSize,
      tiles: Object.fromEntries(Object.entries(this.tiles).sort(([a], [b]) => a.localeCompare(b))),
    }
    return this.project.blobs.put(Buffer.from(JSON.stringify(manifest)))
  }
}
