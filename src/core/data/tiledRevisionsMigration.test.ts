import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeMaskPng, encodeMaskPng } from './maskRaster'
import { loadComposedMask } from './tiledMask'
import { referencedBlobs } from '../store/blobGarbage'
import { BlobStore } from '../store/blobStore'
import { manifestTiles, parseMaskManifest } from '../store/maskManifest'
import { encodeMaskPngSync, maskPngPixels } from '../store/maskPngSync'
import { maskHead, redoMask, undoMask } from '../store/masks'
import { migrate } from '../store/migration'
import { migrations } from '../store/migrations'
import { BLOB_DIR, closeProject, DATABASE_FILE, openProject, type Project } from '../store/project'

const REVISIONS = 'SELECT id, image_id, parent_id, kind, run_id, created_at FROM mask_revisions ORDER BY id'
const BEFORE = migrations.findIndex((m) => m.name === 'tiled-mask-revisions')

/** A mask of value k on a k-th band, so each revision differs. */
function mask(width: number, height: number, k: number): Uint8Array {
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if ((x + 3 * y) % (40 * k) < 20 * k) data[y * width + x] = (k % 2) + 1
  return data
}

let dir: string
let project: Project
const pixels = new Map<string, Uint8Array>()
let old: { revisions: unknown[]; blobs: string[]; heads: number[] }

beforeAll(async () => {
  // A project written before tiled revisions: a 2,500 × 1,200 image with three whole-PNG revisions, its head
  // one step back (a redo step), and a 300 × 200 one, small enough to keep PNGs.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-tiled-migration-'))
  const blobs = new BlobStore(path.join(dir, BLOB_DIR))
  const db = new Database(path.join(dir, DATABASE_FILE))
  migrate(db, migrations, BEFORE)
  db.prepare("INSERT INTO meta (key, value) VALUES ('name', 'old'), ('labelMode', 'multi-class')").run()
  db.prepare(
    "INSERT INTO mask_classes (name, color, value) VALUES ('a', '#ff0000', 1), ('b', '#00ff00', 2)",
  ).run()
  for (const [n, [w, h]] of [
    [2500, 1200],
    [300, 200],
  ].entries()) {
    const image = Number(
      db
        .prepare(
          "INSERT INTO images (blob, name, width, height, channels, format) VALUES (?, ?, ?, ?, 3, 'png')",
        )
        .run('abcdef'[n].repeat(64), `i${n}.png`, w, h).lastInsertRowid,
    )
    let parent: number | null = null
    for (let k = 1; k <= 3; k++) {
      const data = mask(w, h, k)
      const blob = blobs.put(await encodeMaskPng({ width: w, height: h, data }))
      pixels.set(blob, data)
      parent = Number(
        db
          .prepare("INSERT INTO mask_revisions (image_id, parent_id, blob, kind) VALUES (?, ?, ?, 'edit')")
          .run(image, parent, blob).lastInsertRowid,
      )
    }
    db.prepare('INSERT INTO masks (image_id, head_revision_id) VALUES (?, ?)').run(image, parent! - 1)
  }
  old = {
    revisions: db.prepare(REVISIONS).all(),
    blobs: db.prepare('SELECT blob FROM mask_revisions ORDER BY id').pluck().all() as string[],
    heads: db.prepare('SELECT head_revision_id FROM masks ORDER BY image_id').pluck().all() as number[],
  }
  db.close()
  project = openProject(dir)
})
afterAll(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('migrating to tiled mask revisions', () => {
  it('writes masks as PNGs sharp reads, without it', async () => {
    const data = mask(70, 33, 2)
    const back = await decodeMaskPng(Buffer.from(encodeMaskPngSync(70, 33, data)), 'sync')
    expect(Buffer.from(back.data).equals(Buffer.from(data))).toBe(true)
    expect(Buffer.from(maskPngPixels(await encodeMaskPng({ width: 70, height: 33, data })).data)).toEqual(
      Buffer.from(data),
    )
    expect(() => encodeMaskPngSync(2, 2, new Uint8Array(3))).toThrow(/3 values for a 2×2 mask/)
  })

  it('turns the big image’s head into tiles of the same pixels and loses no revision', async () => {
    const { db } = project
    expect(db.prepare(REVISIONS).all()).toEqual(old.revisions)
    expect(db.prepare('SELECT head_revision_id FROM masks ORDER BY image_id').pluck().all()).toEqual(
      old.heads,
    )
    const blobs = db.prepare('SELECT blob FROM mask_revisions ORDER BY id').pluck().all() as string[]
    // Revision 2 (the big image's head) changed storage; the other five kept their blobs.
    expect(blobs.map((b, i) => b === old.blobs[i])).toEqual([true, false, true, true, true, true])
    const manifest = parseMaskManifest(project.blobs.get(blobs[1]))!
    expect(manifest).toMatchObject({ width: 2500, height: 1200, tileSize: 1024 })
    expect(Object.keys(manifest.tiles)).toHaveLength(6)
    const composed = await loadComposedMask(project, blobs[1])
    expect(Buffer.from(composed.data).equals(Buffer.from(pixels.get(old.blobs[1])!))).toBe(true)
    for (const t of manifestTiles(project, blobs[1])) expect(referencedBlobs(project).has(t)).toBe(true)
  })

  it('undoes and redoes through the converted head to exactly the old masks', async () => {
    const big = Number(project.db.prepare("SELECT id FROM images WHERE name = 'i0.png'").pluck().get())
    const read = async () => Buffer.from((await loadComposedMask(project, maskHead(project, big)!.blob)).data)
    undoMask(project, big)
    expect((await read()).equals(Buffer.from(pixels.get(old.blobs[0])!))).toBe(true)
    redoMask(project, big)
    redoMask(project, big)
    expect((await read()).equals(Buffer.from(pixels.get(old.blobs[2])!))).toBe(true)
  })
})
