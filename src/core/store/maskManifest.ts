import fs from 'node:fs'
import type { Project } from './project'

/**
 * How a tiled mask is stored (see data/tiledMask.ts): its blob is a small JSON manifest naming one PNG blob
 * per square tile. The store reads it too, so that deleting a run or a revision also frees the tiles only
 * that manifest named, and the orphan sweep sees every tile a kept manifest names.
 */

/** Side of a tiled mask's square tiles, in image pixels. */
export const MASK_TILE = 1024

/** Predictions (and their probability maps) of more pixels than this are stored tiled: whole slides. */
export const TILED_MASK_ABOVE = 100_000_000

/**
 * Whether an image's mask revisions are stored as tiles, so that a stroke writes only the tiles it changed
 * (a manifest naming the rest by hash): every image wider or taller than one tile. Smaller images keep one
 * PNG per revision, which is no bigger. Revisions written whole before (imports, older versions) stay
 * readable; the next edit on one writes tiles.
 */
export function revisionsTiled(size: { width: number; height: number }): boolean {
  return size.width > MASK_TILE || size.height > MASK_TILE
}

/**
 * Whether any pixel holds a class (is not background): a tile of background only is left out of a manifest.
 * Four pixels per comparison: a saved stroke asks it of every tile it touched, and a per-pixel callback took
 * 2 ms of the save's 1,024² tile.
 */
export function holdsAnyClass(data: Uint8Array): boolean {
  const head = (4 - (data.byteOffset % 4)) % 4
  if (data.length < head + 4) return data.some((v) => v !== 0)
  for (let i = 0; i < head; i++) if (data[i] !== 0) return true
  const words = new Uint32Array(data.buffer, data.byteOffset + head, (data.length - head) >> 2)
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return true
  for (let i = head + words.length * 4; i < data.length; i++) if (data[i] !== 0) return true
  return false
}

export const TILED_MASK_FORMAT = 's4mi-tiled-mask'

export interface TiledMaskManifest {
  format: typeof TILED_MASK_FORMAT
  version: 1
  width: number
  height: number
  tileSize: number
  /** "tx,ty" → blob of that tile's class indices (1-channel PNG, cropped at the image's edges). */
  tiles: Record<string, string>
}

/** The manifest in a mask blob's bytes; null when the blob is a whole PNG. */
export function parseMaskManifest(bytes: Buffer): TiledMaskManifest | null {
  if (bytes.length > 64 << 20 || bytes[0] !== 0x7b) return null // '{'
  try {
    const m = JSON.parse(bytes.toString('utf8')) as TiledMaskManifest
    return m.format === TILED_MASK_FORMAT ? m : null
  } catch {
    return null
  }
}

/**
 * The tile blobs a stored blob names when it is a tiled-mask manifest, else none. Reads one byte of any other
 * blob (a whole PNG never starts with '{'), so checking every mask revision of a project stays cheap.
 */
export function manifestTiles(project: Project, blob: string): string[] {
  if (!project.blobs.has(blob)) return []
  const fd = fs.openSync(project.blobs.pathOf(blob), 'r')
  const first = Buffer.alloc(1)
  try {
    fs.readSync(fd, first, 0, 1, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (first[0] !== 0x7b) return []
  const m = parseMaskManifest(project.blobs.get(blob))
  return m ? Object.values(m.tiles) : []
}
