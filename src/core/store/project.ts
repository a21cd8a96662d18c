import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { BlobStore } from './blobStore'
import { sweepUnreferencedBlobs } from './blobGarbage'
import { othersHaveOpen, registerOpener, unregisterOpener } from './projectOpeners'
import { addMaskClass } from './maskClasses'
import { migrate } from './migration'
import { migrations } from './migrations'
import type { ClassDef, LabelMode } from '../../shared/types'

export const DATABASE_FILE = 'project.sqlite'
export const BLOB_DIR = 'blobs'

/** An open project: its folder, its database and its blobs. */
export interface Project {
  dir: string
  db: Database.Database
  blobs: BlobStore
  /** This open's entry among the project's openers (null when the folder is read-only). */
  opener?: string | null
}

export interface ProjectSettings {
  name: string
  labelMode: LabelMode
  /** Image labels (diagnoses); `maskClass` names the mask class such an image usually shows. */
  classes: (Omit<ClassDef, 'id' | 'maskClassId'> & { maskClass?: string })[]
  /** Mask classes, pixel values 1, 2, … in this order; colours default to the overlay palette. */
  maskClasses?: { name: string; color?: string }[]
}

function openDatabase(file: string): Database.Database {
  // Inside Electron the addon built for Electron's ABI is used (scripts/desktop/electronSqlite.mjs; src/main/sqliteBinding.ts).
  const nativeBinding = process.versions.electron ? process.env.S4MI_SQLITE_BINDING : undefined
  const db = new Database(file, nativeBinding ? { nativeBinding } : {})
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  // FULL: a commit that acknowledged an edit (a stroke, a label) survives a power cut, not only a crash of
  // the app (which NORMAL in WAL mode already survives). The cost is one fsync of the WAL per commit.
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  return db
}

export function isProjectDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, DATABASE_FILE))
}

export function createProject(dir: string, settings: ProjectSettings): Project {
  if (isProjectDir(dir)) throw new Error(`${dir} already holds a project (${DATABASE_FILE} exists)`)
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new Error(`${dir} is not empty: choose an empty or new folder for a project`)
  }
  const names = new Set<string>()
  for (const c of settings.classes) {
    if (!c.name.trim()) throw new Error('A class name is empty')
    if (names.has(c.name)) throw new Error(`Class "${c.name}" is listed twice`)
    names.add(c.name)
  }
  const maskNames = new Set<string>()
  for (const m of settings.maskClasses ?? []) {
    if (!m.name.trim()) throw new Error('A mask class name is empty')
    if (maskNames.has(m.name.trim())) throw new Error(`Mask class "${m.name}" is listed twice`)
    maskNames.add(m.name.trim())
  }
  for (const c of settings.classes)
    if (c.maskClass !== undefined && !maskNames.has(c.maskClass))
      throw new Error(
        `Class "${c.name}" shows mask class "${c.maskClass}", which is not among the mask classes`,
      )
  fs.mkdirSync(dir, { recursive: true })
  const project = openProjectFiles(dir)
  const { db } = project
  db.transaction(() => {
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
    setMeta.run('name', settings.name)
    setMeta.run('labelMode', settings.labelMode)
    setMeta.run('createdAt', new Date().toISOString())
    for (const m of settings.maskClasses ?? []) addMaskClass(project, m.name, m.color)
    const addClass = db.prepare(
      `INSERT INTO classes (name, color, ordinal, mask_class_id)
       VALUES (?, ?, ?, (SELECT id FROM mask_classes WHERE name = ?))`,
    )
    settings.classes.forEach((c, i) => addClass.run(c.name, c.color, i, c.maskClass ?? null))
  }).immediate()
  return project
}

function openProjectFiles(dir: string): Project {
  const db = openDatabase(path.join(dir, DATABASE_FILE))
  const blobs = new BlobStore(path.join(dir, BLOB_DIR))
  try {
    migrate(db, migrations, Infinity, {
      readBlob: (hash) => blobs.get(hash),
      putBlob: (data) => blobs.put(data),
    })
  } catch (e) {
    db.close()
    throw e
  }
  const project: Project = { dir: path.resolve(dir), db, blobs, opener: null }
  try {
    project.opener = registerOpener(project.dir)
  } catch {
    // A read-only folder: nothing can be written here, so nothing needs sweeping either.
    return project
  }
  // Blobs no row names: leftovers of a crash or kill mid-write. While another process has the project open
  // its uncommitted blobs look the same, so then only old ones go.
  sweepUnreferencedBlobs(project, othersHaveOpen(project.dir, project.opener) ? {} : { graceMs: 0 })
  return project
}

export function openProject(dir: string): Project {
  if (!isProjectDir(dir)) throw new Error(`${dir} is not an S4MI project (no ${DATABASE_FILE} in it)`)
  return openProjectFiles(dir)
}

export function closeProject(project: Project): void {
  if (project.db.open) {
    // Folds the WAL back into the database file so a closed project is one file. Best effort: a writer in
    // another process (a training worker beside the app) only makes it report busy, but a checkpoint running
    // there at the same moment makes SQLite answer "database is locked"; the WAL then stays, committed and
    // safe, for a later close or automatic checkpoint.
    try {
      project.db.pragma('wal_checkpoint(TRUNCATE)')
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY') !== true) throw e
    }
    project.db.close()
  }
  if (project.opener) unregisterOpener(project.dir, project.opener)
  project.opener = null
}

export function getMeta(project: Project, key: string): string | undefined {
  const row = project.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
    { value: string } | undefined
  return row?.value
}

export function setMeta(project: Project, key: string, value: string): void {
  project.db
    .prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    )
    .run(key, value)
}
