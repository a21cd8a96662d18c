import type Database from 'better-sqlite3'
import type { Migration, MigrationContext } from '../migration'
import { holdsAnyClass, MASK_TILE, revisionsTiled, TILED_MASK_FORMAT } from '../maskManifest'
import { encodeMaskPngSync, maskPngPixels } from '../maskPngSync'

/**
 * Mask revisions of images bigger than one mask tile are stored as changed tiles from now on (a manifest
 * naming one PNG per 1,024² tile, unchanged tiles shared by hash), so saving a stroke writes what it
 * touched instead of re-encoding the whole mask (1.2 s at 8,000², more above).
 *
 * Here each such image's current mask (its head revision), if stored as one PNG, becomes the same pixels as
 * tiles, so the first stroke after updating is as quick as the next. The revision keeps its id, parent, kind
 * and run: undo, redo and every other revision are untouched. Older revisions stay whole PNGs: every reader
 * takes both, and converting a long history would make opening a big project take minutes. A head that
 * cannot be read here (not an 8-bit PNG, or not the image's size) is left as it is.
 */
function convertHeads(db: Database.Database, context: MigrationContext): void {
  const { readBlob, putBlob } = context
  if (!readBlob || !putBlob) return // a bare database has no blobs to convert
  const heads = db
    .prepare(
      `SELECT r.id, r.blob, i.width, i.height FROM masks m
       JOIN mask_revisions r ON r.id = m.head_revision_id JOIN images i ON i.id = m.image_id`,
    )
    .all() as { id: number; blob: string; width: number; height: number }[]
  const update = db.prepare('UPDATE mask_revisions SET blob = ? WHERE id = ?')
  const converted = new Map<string, string>()
  for (const head of heads) {
    if (!revisionsTiled(head)) continue
    let manifest = converted.get(head.blob)
    if (!manifest) {
      let mask: ReturnType<typeof maskPngPixels>
      try {
        const bytes = readBlob(head.blob)
        if (bytes[0] === 0x7b) continue // '{': tiles already
        mask = maskPngPixels(bytes)
      } catch {
        continue
      }
      if (mask.width !== head.width || mask.height !== head.height) continue
      const tiles: Record<string, string> = {}
      for (let ty = 0; ty * MASK_TILE < mask.height; ty++)
        for (let tx = 0; tx * MASK_TILE < mask.width; tx++) {
          const w = Math.min(MASK_TILE, mask.width - tx * MASK_TILE)
          const h = Math.min(MASK_TILE, mask.height - ty * MASK_TILE)
          const tile = new Uint8Array(w * h)
          for (let r = 0; r < h; r++) {
            const from = (ty * MASK_TILE + r) * mask.width + tx * MASK_TILE
            tile.set(mask.data.subarray(from, from + w), r * w)
          }
          // Tiles of background only are left out, as the tiled mask writer leaves them.
          if (holdsAnyClass(tile)) tiles[`${tx},${ty}`] = putBlob(encodeMaskPngSync(w, h, tile))
        }
      const sorted = Object.fromEntries(Object.entries(tiles).sort(([a], [b]) => a.localeCompare(b)))
      const json = {
        format: TILED_MASK_FORMAT,
        version: 1,
        width: mask.width,
        height: mask.height,
        tileSize: MASK_TILE,
        tiles: sorted,
      }
      manifest = putBlob(Buffer.from(JSON.stringify(json)))
      converted.set(head.blob, manifest)
    }
    update.run(manifest, head.id)
  }
}

export const tiledMaskRevisions: Migration = {
  version: 13,
  name: 'tiled-mask-revisions',
  sql: '',
  run: convertHeads,
}
