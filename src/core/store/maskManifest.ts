/**
 * How a tiled mask is stored (see data/tiledMask.ts): its blob is a small JSON manifest naming one PNG blob
 * per square tile. The store reads it too, so that deleting a run or a revision also frees the tiles only
 * that manifest named.
 */

/** Masks of more pixels than this are stored tiled. */
export const TILED_MASK_ABOVE = 100_000_000

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
