import type { Project } from './project'

/** A column holding one blob hash: `blob` or `<something>_blob` (images, tiles, masks, runs, …). */
const BLOB_COLUMN = /^(\w+_)?blob$/
/** A column holding JSON that may name blobs (a run's configuration, a pretraining's settings, …). */
const JSON_COLUMN = /_json$/
const HASH = /[0-9a-f]{64}/g
/**
 * Columns known to hold only image pixels (never JSON), skipped when looking for blobs that name other
 * blobs: there are many of them, and a manifest is never stored there.
 */
const PIXEL_COLUMNS = new Set(['images.blob', 'tiles.blob', 'tiles.mask_blob'])
/** A blob that names other blobs is small JSON (a tiled mask's manifest: a few kilobytes per gigapixel). */
const MANIFEST_LIMIT = 64 << 20

/**
 * Every blob some row still points at: the one place that knows how the store references blobs, read by
 * the sweep on open, run deletion and a failed import's cleanup.
 *
 * It reads the schema rather than a list of tables, so a new table's blob column is seen without a change
 * here: every column named `blob` or `…_blob`, every hash inside a `…_json` column or a meta value, and
 * every hash named inside a referenced blob that is JSON (a tiled mask's manifest names its tile PNGs).
 */
export function referencedBlobs(project: Project): Set<string> {
  const refs = new Set<string>()
  const maybeJson: string[] = []
  const tables = project.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[]
  for (const table of tables) {
    const columns = project.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]
    for (const { name } of columns) {
      const select = project.db
        .prepare(`SELECT DISTINCT "${name}" FROM "${table}" WHERE "${name}" IS NOT NULL`)
        .pluck()
      if (BLOB_COLUMN.test(name)) {
        const inspect = !PIXEL_COLUMNS.has(`${table}.${name}`)
        for (const h of select.iterate() as Iterable<string>) {
          refs.add(h)
          if (inspect) maybeJson.push(h)
        }
      } else if (JSON_COLUMN.test(name) || (table === 'meta' && name === 'value')) {
        for (const text of select.iterate() as Iterable<unknown>)
          if (typeof text === 'string') for (const m of text.matchAll(HASH)) refs.add(m[0])
      }
    }
  }
  const seen = new Set<string>()
  while (maybeJson.length > 0) {
    const h = maybeJson.pop() as string
    if (seen.has(h)) continue
    seen.add(h)
    const text = project.blobs.readIfJson(h, MANIFEST_LIMIT)
    if (text === null) continue
    for (const m of text.matchAll(HASH)) {
      refs.add(m[0])
      maybeJson.push(m[0])
    }
  }
  return refs
}

/**
 * Removes blobs written by work that did not commit (a failed or cancelled import).
 * Only the candidates given are considered, so blobs of a concurrent writer are safe.
 */
export function removeUnreferencedBlobs(project: Project, candidates: Iterable<string>): number {
  const refs = referencedBlobs(project)
  let removed = 0
  for (const h of new Set(candidates)) {
    if (!refs.has(h) && project.blobs.has(h)) {
      project.blobs.delete(h)
      removed++
    }
  }
  return removed
}

/**
 * How long a blob no row names is left alone: a writer puts its blobs first and commits the rows that name
 * them after (an import of a big slide: minutes), possibly in another process (a training worker).
 */
export const SWEEP_GRACE_MS = 30 * 60_000

/**
 * The sweep on open: removes blobs no row names that are older than the grace period (a kill mid-import
 * leaves dozens), and leftover temp files of interrupted writes just as old.
 */
export function sweepUnreferencedBlobs(
  project: Project,
  options: { graceMs?: number; now?: number } = {},
): { removed: number; tempRemoved: number } {
  const before = (options.now ?? Date.now()) - (options.graceMs ?? SWEEP_GRACE_MS)
  const refs = referencedBlobs(project)
  let removed = 0
  for (const h of project.blobs.list()) if (!refs.has(h) && project.blobs.removeIfOlder(h, before)) removed++
  return { removed, tempRemoved: project.blobs.clearTemp(before) }
}
