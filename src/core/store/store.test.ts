import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { BlobStore } from './blobStore'
import { commitMaskRevision, maskHead, maskHistoryDepth, redoMask, undoMask } from './masks'
import { migrate, schemaVersion } from './migration'
import { migrations } from './migrations'
import { closeProject, createProject, openProject } from './project'
import { insertImage } from './images'
import { projectCounts } from './projectInfo'
import { setImageLabels } from './labels'
import { readRecentProjects, rememberProject } from './recentProjects'

const dirs: string[] = []
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-store-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function schemaOf(db: Database.Database): string[] {
  return (
    db
      .prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
      )
      .all() as {
      sql: string | null
      name: string
    }[]
  ).map((r) => `${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`)
}

describe('migrations', () => {
  it('give the same schema from an empty database and from every earlier version', () => {
    const fresh = new Database(':memory:')
    migrate(fresh, migrations)
    const want = schemaOf(fresh)
    expect(schemaVersion(fresh)).toBe(migrations.length)
    for (let v = 0; v <= migrations.length; v++) {
      const db = new Database(':memory:')
      migrate(db, migrations, v)
      expect(schemaVersion(db)).toBe(v)
      migrate(db, migrations)
      expect(schemaOf(db)).toEqual(want)
    }
  })

  it('turn runs stored in percent into fractions (0–1), in the column and the recorded config', () => {
    const db = new Database(':memory:')
    migrate(db, migrations, 7)
    const insert = db.prepare(
      `INSERT INTO runs (task, method, label_fraction, seed, config_json, dataset_version, status)
       VALUES ('segmentation', ?, ?, 0, ?, 'v', 'succeeded')`,
    )
    insert.run('supervised', 30, JSON.stringify({ labelFraction: 30, seed: 0 }))
    insert.run('supervised', null, JSON.stringify({ labelFraction: 'user', seed: 0 }))
    insert.run('picie', 0, JSON.stringify({ labelFraction: 0, seed: 0 }))
    migrate(db, migrations)
    const rows = db.prepare('SELECT label_fraction AS f, config_json AS c FROM runs ORDER BY id').all() as {
      f: number | null
      c: string
    }[]
    expect(rows.map((r) => [r.f, JSON.parse(r.c).labelFraction])).toEqual([
      [0.3, 0.3],
      [null, 'user'],
      [0, 0],
    ])
  })

  it('refuse a database from a newer app', () => {
    const db = new Database(':memory:')
    db.pragma(`user_version = ${migrations.length + 1}`)
    expect(() => migrate(db, migrations)).toThrow(/newer S4MI Studio/)
  })

  it('roll a failing migration back whole', () => {
    const db = new Database(':memory:')
    const broken = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'broken',
        sql: 'CREATE TABLE x (a); SELECT nope FROM nowhere;',
      },
    ]
    expect(() => migrate(db, broken)).toThrow()
    expect(schemaVersion(db)).toBe(migrations.length)
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'x'").get()).toEqual({ n: 0 })
  })
})

describe('project', () => {
  it('is a folder with a WAL database with foreign keys on', () => {
    const dir = path.join(tmp(), 'p')
    const p = createProject(dir, {
      name: 'P',
      labelMode: 'multi-class',
      classes: [{ name: 'a', color: '#f00' }],
    })
    expect(p.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(p.db.pragma('foreign_keys', { simple: true })).toBe(1)
    closeProject(p)
    const again = openProject(dir)
    expect(projectCounts(again).classes).toBe(1)
    closeProject(again)
  })

  it('refuses a non-empty folder and a folder without a project', () => {
    const dir = tmp()
    fs.writeFileSync(path.join(dir, 'x.txt'), 'x')
    expect(() => createProject(dir, { name: 'P', labelMode: 'multi-class', classes: [] })).toThrow(
      /not empty/,
    )
    expect(() => openProject(dir)).toThrow(/not an S4MI project/)
  })

  it('rejects labels that break the label mode, leaving labels as they were', () => {
    const p = createProject(path.join(tmp(), 'p'), {
      name: 'P',
      labelMode: 'multi-class',
      classes: [
        { name: 'a', color: '#f00' },
        { name: 'b', color: '#0f0' },
      ],
    })
    const id = insertImage(p, {
      blob: 'a'.repeat(64),
      name: 'i',
      width: 2,
      height: 2,
      channels: 3,
      format: 'png',
    })
    setImageLabels(p, id, [1])
    expect(() => setImageLabels(p, id, [1, 2])).toThrow(/multi-class/)
    expect(() => setImageLabels(p, id, [99])).toThrow(/No class with id 99/)
    expect(projectCounts(p).labels).toBe(1)
    closeProject(p)
  })
})

describe('blob store', () => {
  it('stores by content hash and leaves no temp files', () => {
    const b = new BlobStore(tmp())
    const h = b.put(Buffer.from('hello'))
    expect(h).toBe(BlobStore.hash(Buffer.from('hello')))
    expect(b.get(h).toString()).toBe('hello')
    expect(b.put(Buffer.from('hello'))).toBe(h)
    expect(fs.readdirSync(path.join(b.dir, 'tmp'))).toEqual([])
    expect(b.list()).toEqual([h])
  })

  it('reads its blobs when opened by a relative path, as the CLI is given one (s4mi model export proj 4)', () => {
    // Below the working folder, as `proj` is: a path climbing out with ../ would resolve back by chance.
    fs.mkdirSync('test-output', { recursive: true })
    const dir = fs.mkdtempSync(path.join('test-output', 'blobs-'))
    dirs.push(dir)
    const h = new BlobStore(dir).put(Buffer.from('hello'))
    expect(new BlobStore(dir).get(h).toString()).toBe('hello')
  })
})

describe('mask history', () => {
  it('undoes and redoes across reopening', () => {
    const dir = path.join(tmp(), 'p')
    let p = createProject(dir, {
      name: 'P',
      labelMode: 'multi-class',
      classes: [{ name: 'a', color: '#f00' }],
    })
    const id = insertImage(p, {
      blob: 'b'.repeat(64),
      name: 'i',
      width: 2,
      height: 2,
      channels: 3,
      format: 'png',
    })
    const blobs = ['1', '2', '3'].map((s) => p.blobs.put(Buffer.from(s)))
    for (const b of blobs) commitMaskRevision(p, id, b, 'edit')
    expect(maskHistoryDepth(p, id)).toEqual({ undo: 3, redo: 0 })
    expect(undoMask(p, id)?.blob).toBe(blobs[1])
    closeProject(p)
    p = openProject(dir)
    expect(maskHead(p, id)?.blob).toBe(blobs[1])
    expect(undoMask(p, id)?.blob).toBe(blobs[0])
    // Past the first saved mask only when asked by name.
    expect(() => undoMask(p, id)).toThrow(/first saved mask .* confirm/)
    expect(maskHead(p, id)?.blob).toBe(blobs[0])
    expect(undoMask(p, id, { pastFirst: true })).toBeNull()
    expect(undoMask(p, id)).toBeUndefined()
    expect(redoMask(p, id)?.blob).toBe(blobs[0])
    expect(redoMask(p, id)?.blob).toBe(blobs[1])
    // A new edit after undo starts a new branch; redo follows the newest branch.
    undoMask(p, id)
    const other = p.blobs.put(Buffer.from('x'))
    commitMaskRevision(p, id, other, 'edit')
    undoMask(p, id)
    expect(redoMask(p, id)?.blob).toBe(other)
    closeProject(p)
  })
})

describe('recent projects', () => {
  it('keeps the newest first without duplicates', () => {
    const home = tmp()
    rememberProject({ dir: '/a', name: 'A' }, home)
    rememberProject({ dir: '/b', name: 'B' }, home)
    rememberProject({ dir: '/a', name: 'A' }, home)
    expect(readRecentProjects(home).map((p) => p.dir)).toEqual(['/a', '/b'])
  })
})
