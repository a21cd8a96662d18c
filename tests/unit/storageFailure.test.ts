// A full disk and a read-only project folder, by injected write failures: the edit is refused with a message
// a user can act on, and the database stays intact and as it was.
import Database from 'better-sqlite3'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { classifyFailure } from '../../src/core/api/apiFailure'
import { dispatch } from '../../src/core/api/dispatch'
import { createHandlers } from '../../src/core/api/handlers'
import { Session } from '../../src/core/api/session'
import { writeFolderDataset } from '../../src/core/data/datasetFixtures'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-storage-'))
const projectDir = path.join(root, 'projects', 'p')
let session: Session
let handlers: ReturnType<typeof createHandlers>
let imageId = 0

async function call(method: string, input: unknown) {
  return dispatch(handlers, method, input) as Promise<
    { ok: true; result: unknown } | { ok: false; error: { message: string; incident?: string } }
  >
}

async function mustCall<T>(method: string, input: unknown): Promise<T> {
  const r = await call(method, input)
  if (!r.ok) throw new Error(r.error.message)
  return r.result as T
}

const maskPng = async (x: number) => {
  const data = Buffer.alloc(24 * 16)
  for (let i = x; i < x + 4; i++) data[i] = 1
  return (
    await sharp(data, { raw: { width: 24, height: 16, channels: 1 } })
      .png()
      .toBuffer()
  ).toString('base64')
}

/** The project as a fresh reader sees it, for "intact and as it was". */
function state() {
  const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true })
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      revisions: db.prepare('SELECT id, blob FROM mask_revisions ORDER BY id').all(),
      labels: db.prepare('SELECT image_id, class_id FROM image_labels ORDER BY image_id, class_id').all(),
    }
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  session = new Session({
    dataDir: path.join(root, 'data'),
    version: 't',
    transport: 'http',
    defaultProjectsDir: path.join(root, 'projects'),
  })
  handlers = createHandlers(session)
  const seed = path.join(root, 'seed')
  await writeFolderDataset(
    seed,
    [{ name: 'a.png', width: 24, height: 16, labels: [0], mask: true }],
    ['x', 'y'],
  )
  await mustCall('project.create', { dir: projectDir, name: 'p', labelMode: 'multi-class', classes: [] })
  const { jobId } = await mustCall<{ jobId: string }>('import.start', { format: 'folder', path: seed })
  await session.jobs.wait(jobId)
  imageId = (await mustCall<{ id: number }[]>('images.list', {}))[0].id
})
afterEach(() => vi.restoreAllMocks())
afterAll(() => {
  session.close()
  fs.rmSync(root, { recursive: true, force: true })
})

/** Makes every write under the project's blob folder fail with `code`, as a full or read-only disk does. */
function failBlobWrites(code: string) {
  const blobDir = path.join(projectDir, 'blobs')
  const open = fs.openSync
  vi.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    if (String(file).startsWith(blobDir) && flags !== 'r') {
      const e = new Error(`${code}: injected, open '${String(file)}'`) as NodeJS.ErrnoException
      e.code = code
      throw e
    }
    return open(file, flags as fs.OpenMode, mode)
  }) as typeof fs.openSync)
}

describe('storage failures', () => {
  it('a full disk while saving a stroke: "disk is full", an incident id, the project as it was', async () => {
    const before = state()
    failBlobWrites('ENOSPC')
    const r = await call('mask.commit', { imageId, png: await maskPng(3), kind: 'edit' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.message).toMatch(/^The disk holding the project is full: nothing was saved/)
    expect(r.error.incident).toMatch(/^[0-9a-f]{8}$/)
    vi.restoreAllMocks()
    expect(state()).toEqual(before)
    expect(fs.readdirSync(path.join(projectDir, 'blobs', 'tmp'))).toEqual([])
    // Space again: the same edit goes through.
    expect((await call('mask.commit', { imageId, png: await maskPng(3), kind: 'edit' })).ok).toBe(true)
  })

  it('a read-only project folder: "read-only", the project as it was', async () => {
    const before = state()
    failBlobWrites('EROFS')
    const r = await call('mask.commit', { imageId, png: await maskPng(9), kind: 'edit' })
    expect(r.ok ? '' : r.error.message).toMatch(/^The project folder is read-only: nothing was saved/)
    vi.restoreAllMocks()
    expect(state()).toEqual(before)
  })

  it('the database file full mid-commit (a real SQLITE_FULL): rolled back whole, said as a full disk', async () => {
    const db = session.current!.db
    const before = state()
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    const filler = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
    let full: unknown = null
    try {
      db.transaction(() => {
        for (let i = 0; i < 10_000; i++) filler.run(`filler-${i}`, 'x'.repeat(200))
      })()
    } catch (e) {
      full = e
    } finally {
      db.pragma('max_page_count = 1073741823')
    }
    expect((full as { code?: string }).code).toBe('SQLITE_FULL')
    expect(classifyFailure(full, 'labels.set').body.message).toMatch(
      /^The disk holding the project is full: nothing was saved/,
    )
    expect(state()).toEqual(before)
    expect(db.prepare("SELECT COUNT(*) FROM meta WHERE key LIKE 'filler-%'").pluck().get()).toBe(0)
  })
})
