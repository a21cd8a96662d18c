import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { BlobStore } from './blobStore'
import { listClasses } from './classes'
import { listMaskClasses } from './maskClasses'
import { maskPngValues } from './maskPngSync'
import { maskHead, maskHistoryDepth } from './masks'
import { migrate, schemaVersion } from './migration'
import { migrations } from './migrations'
import { closeProject, DATABASE_FILE, BLOB_DIR, openProject } from './project'

/** Every column a revision had before mask classes (later migrations may add more). */
const REVISIONS = 'SELECT id, image_id, parent_id, blob, kind, created_at FROM mask_revisions ORDER BY id'
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const maskPng = (values: number[], width: number, adaptive = false) =>
  sharp(Buffer.from(values), { raw: { width, height: values.length / width, channels: 1 } })
    .png({ adaptiveFiltering: adaptive, compressionLevel: adaptive ? 9 : 3 })
    .toBuffer()

/** The schema just before mask classes. */
const BEFORE = migrations.findIndex((m) => m.name === 'mask-classes')

/** A project folder written by the schema before mask classes, with images and mask revisions in it. */
async function oldProject(
  classes: string[],
  masks: number[][][],
): Promise<{ dir: string; revisions: unknown[]; heads: (number | null)[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-migrate-'))
  dirs.push(dir)
  const blobs = new BlobStore(path.join(dir, BLOB_DIR))
  const db = new Database(path.join(dir, DATABASE_FILE))
  migrate(db, migrations, BEFORE)
  db.prepare("INSERT INTO meta (key, value) VALUES ('name', 'old'), ('labelMode', 'multi-class')").run()
  classes.forEach((c, i) =>
    db.prepare('INSERT INTO classes (name, color, ordinal) VALUES (?, ?, ?)').run(c, '#8c5a3c', i),
  )
  for (const [n, history] of masks.entries()) {
    const id = Number(
      db
        .prepare(
          "INSERT INTO images (blob, name, width, height, channels, format) VALUES (?, ?, 3, 2, 3, 'png')",
        )
        .run(
          String(n)
            .repeat(64)
            .slice(0, 64)
            .replace(/./g, 'abcdef'[n % 6]),
          `i${n}.png`,
        ).lastInsertRowid,
    )
    let parent: number | null = null
    for (const values of history) {
      const blob = blobs.put(await maskPng(values, 3))
      parent = Number(
        db
          .prepare("INSERT INTO mask_revisions (image_id, parent_id, blob, kind) VALUES (?, ?, ?, 'edit')")
          .run(id, parent, blob).lastInsertRowid,
      )
    }
    // The head is one step back from the newest: a redo step that must survive too.
    const head = history.length > 1 ? parent! - 1 : parent
    db.prepare('INSERT INTO masks (image_id, head_revision_id) VALUES (?, ?)').run(id, head)
  }
  const revisions = db.prepare(REVISIONS).all()
  const heads = (
    db.prepare('SELECT head_revision_id AS h FROM masks ORDER BY image_id').all() as {
      h: number | null
    }[]
  ).map((r) => r.h)
  db.close()
  return { dir, revisions, heads }
}

describe('the mask-classes migration: mask classes apart from image labels', () => {
  it('makes a lesion project’s binary masks the single mask class `lesion`, losing no revision', async () => {
    const { dir, revisions, heads } = await oldProject(
      ['melanoma', 'seborrheic_keratosis', 'nevus'],
      [
        [
          [0, 1, 1, 0, 0, 1],
          [0, 1, 1, 1, 0, 1],
          [1, 1, 1, 1, 0, 1],
        ],
        [[0, 0, 1, 1, 1, 1]],
      ],
    )
    const p = openProject(dir)
    expect(schemaVersion(p.db)).toBe(migrations.length)
    expect(listMaskClasses(p).map((m) => [m.value, m.name])).toEqual([[1, 'lesion']])
    // Every diagnosis shows a lesion: painting on any image starts with `lesion`.
    const lesion = listMaskClasses(p)[0].id
    expect(listClasses(p).map((c) => [c.name, c.maskClassId])).toEqual([
      ['melanoma', lesion],
      ['seborrheic_keratosis', lesion],
      ['nevus', lesion],
    ])
    // Not a revision lost or changed; heads and redo steps as they were.
    expect(p.db.prepare(REVISIONS).all()).toEqual(revisions)
    expect(
      (
        p.db.prepare('SELECT head_revision_id AS h FROM masks ORDER BY image_id').all() as { h: number }[]
      ).map((r) => r.h),
    ).toEqual(heads)
    expect(maskHistoryDepth(p, 1)).toEqual({ undo: 2, redo: 1 })
    expect(maskHead(p, 2)?.blob).toBe((revisions[3] as { blob: string }).blob)
    closeProject(p)
  })

  it('keeps a value painted with a later class as a mask class of that name', async () => {
    const { dir } = await oldProject(['tumour', 'stroma', 'necrosis'], [[[0, 1, 3, 3, 0, 1]]])
    const p = openProject(dir)
    expect(listMaskClasses(p).map((m) => [m.value, m.name])).toEqual([
      [1, 'foreground'],
      [3, 'necrosis'],
    ])
    expect(listClasses(p).every((c) => c.maskClassId === null)).toBe(true)
    closeProject(p)
  })

  it('names the old H&E demo’s cell masks `cell`, and a new project gets no mask class of its own', async () => {
    const { dir } = await oldProject(['inflammation', 'vessel', 'necrosis'], [[[0, 1, 0, 0, 0, 1]]])
    const p = openProject(dir)
    expect(listMaskClasses(p).map((m) => m.name)).toEqual(['cell'])
    closeProject(p)
    const fresh = new Database(':memory:')
    migrate(fresh, migrations)
    expect(fresh.prepare('SELECT COUNT(*) AS n FROM mask_classes').get()).toEqual({ n: 0 })
  })

  it('keeps every old class as a mask class when a mask cannot be read', async () => {
    const { dir } = await oldProject(['a', 'b'], [[[0, 1, 0, 0, 0, 1]]])
    const db = new Database(path.join(dir, DATABASE_FILE))
    db.prepare("UPDATE mask_revisions SET blob = 'f'||substr(blob, 2)").run()
    db.close()
    const p = openProject(dir)
    expect(listMaskClasses(p).map((m) => [m.value, m.name])).toEqual([
      [1, 'foreground'],
      [2, 'b'],
    ])
    closeProject(p)
  })
})

describe('maskPngValues', () => {
  it('finds the values sharp decodes, whatever row filters the encoder chose', async () => {
    const width = 37
    const values = Array.from({ length: width * 23 }, (_, i) => [0, 1, 3, 7][(i * 7919 + (i >> 3)) % 4])
    for (const adaptive of [false, true]) {
      const png = await maskPng(values, width, adaptive)
      const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
      expect(maskPngValues(png)).toEqual(new Set(data))
      expect(maskPngValues(png)).toEqual(new Set([0, 1, 3, 7]))
    }
    expect(() => maskPngValues(Buffer.from('not a png'))).toThrow(/not a PNG/)
  })
})
