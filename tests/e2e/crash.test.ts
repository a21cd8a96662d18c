// Kill -9 the server while strokes, labels, an import and a training run are being written, then check the
// project as the next launch finds it: the database intact, no row naming a missing blob, every write the
// server acknowledged present, and no orphan blob once the project is opened again.
// npm test kills 3 times; `npm run test:crash` (S4MI_CRASH_KILLS=100) prints the figures last.
import Database from 'better-sqlite3'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFolderDataset } from '../../src/core/data/datasetFixtures'
import { referencedBlobs } from '../../src/core/store/blobGarbage'
import { closeProject, openProject } from '../../src/core/store/project'
import { recordFigures } from '../figures/figures'
import { startServe, type ServeApp } from './harness'

const KILLS = Number(process.env.S4MI_CRASH_KILLS ?? 3)
const root = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-crash-'))
const projectDir = path.join(root, 'projects', 'crash')
const figures = {
  kills: 0,
  'acknowledged writes': 0,
  'writes lost': 0,
  'corrupt projects': 0,
  'rows naming a missing blob': 0,
  'orphans after reopen': 0,
  'orphans swept on reopen': 0,
}
const problems: string[] = []
let imageIds: number[] = []
let classIds: number[] = []

/** What the server acknowledged (HTTP 200), and what was in flight when it died. */
interface Acknowledged {
  revisions: { id: number; imageId: number; blob: string }[]
  /**
   * Per image: the last acknowledged labels, and every value sent since whose answer never came (the server
   * may have committed it before it died, or the request never reached it).
   */
  labels: Map<number, { acked: string | null; unanswered: Set<string> }>
}

/** Starts the server; on a machine this loaded a start can miss the harness's 30 s, so it gets three tries. */
async function serve(): Promise<ServeApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServe(['--projects-root', path.join(root, 'projects')])
    } catch (e) {
      if (attempt === 3) throw e
    }
  }
}

beforeAll(async () => {
  fs.mkdirSync(path.join(root, 'projects'), { recursive: true })
  const seed = path.join(root, 'seed')
  await writeFolderDataset(
    seed,
    Array.from({ length: 4 }, (_, i) => ({
      name: `s${i}.png`,
      width: 48,
      height: 32,
      labels: [i % 2],
      mask: true,
    })),
    ['benign', 'malignant'],
    3,
  )
  const app = await serve()
  try {
    await app.call('project.create', {
      dir: projectDir,
      name: 'crash',
      labelMode: 'multi-class',
      classes: [],
    })
    const { jobId } = await app.call<{ jobId: string }>('import.start', { format: 'folder', path: seed })
    for (;;) {
      const jobs = await app.call<{ id: string; status: string; error: string | null }[]>('jobs.list')
      const job = jobs.find((j) => j.id === jobId)!
      if (job.status === 'failed') throw new Error(job.error ?? 'seed import failed')
      if (job.status === 'succeeded') break
      await new Promise((r) => setTimeout(r, 100))
    }
    const info = await app.call<{ classes: { id: number }[] }>('project.info')
    classIds = info.classes.map((c) => c.id)
    imageIds = (await app.call<{ id: number }[]>('images.list')).map((i) => i.id)
  } finally {
    await app.close()
  }
}, 120_000)

afterAll(() => {
  recordFigures('crash', figures)
  console.log(`crash: ${JSON.stringify(figures)}`)
  fs.rmSync(root, { recursive: true, force: true })
})

async function maskPng(cycle: number, n: number): Promise<string> {
  const data = Buffer.alloc(48 * 32)
  const x0 = (cycle * 7 + n * 3) % 40
  for (let y = 4; y < 20; y++) for (let x = x0; x < x0 + 8; x++) data[y * 48 + x] = 1
  return (
    await sharp(data, { raw: { width: 48, height: 32, channels: 1 } })
      .png()
      .toBuffer()
  ).toString('base64')
}

/** Writes until `stop` says so; each write is recorded once the server acknowledged it. */
async function strokes(app: ServeApp, cycle: number, ack: Acknowledged, stop: () => boolean) {
  for (let n = 0; !stop(); n++) {
    const imageId = imageIds[n % imageIds.length]
    const r = await app
      .post('mask.commit', { imageId, png: await maskPng(cycle, n), kind: 'edit' })
      .catch(() => null)
    if (r?.status === 200 && r.body.ok) {
      const head = (r.body.result as { head: { id: number; blob: string } }).head
      ack.revisions.push({ id: head.id, imageId, blob: head.blob })
      figures['acknowledged writes']++
    }
  }
}

async function labels(app: ServeApp, ack: Acknowledged, stop: () => boolean) {
  for (let n = 0; !stop(); n++) {
    const imageId = imageIds[n % imageIds.length]
    const want = [classIds[(n >> 2) % classIds.length]]
    const entry = ack.labels.get(imageId) ?? { acked: null, unanswered: new Set<string>() }
    ack.labels.set(imageId, entry)
    entry.unanswered.add(JSON.stringify(want))
    const r = await app.post('labels.set', { imageId, classIds: want }).catch(() => null)
    if (r?.status === 200 && r.body.ok) {
      entry.acked = JSON.stringify(want)
      entry.unanswered.clear()
      figures['acknowledged writes']++
    }
  }
}

function pidsAlive(dir: string): boolean {
  let names: string[] = []
  try {
    names = fs.readdirSync(path.join(dir, 'openers'))
  } catch {
    return false
  }
  return names.some((n) => {
    const pid = Number(/\.(\d+)\.[0-9a-f]{8}$/.exec(n)?.[1])
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  })
}

/** The project as the next launch finds it. */
async function check(cycle: number, ack: Acknowledged): Promise<void> {
  // The killed server's training worker exits when its parent's channel closes.
  for (let i = 0; i < 100 && pidsAlive(projectDir); i++) await new Promise((r) => setTimeout(r, 100))
  const raw = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true })
  const integrity = raw.pragma('integrity_check', { simple: true })
  const foreignKeys = raw.pragma('foreign_key_check') as unknown[]
  raw.close()
  if (integrity !== 'ok' || foreignKeys.length > 0) {
    figures['corrupt projects']++
    problems.push(`kill ${cycle}: integrity ${String(integrity)}, ${foreignKeys.length} foreign key problems`)
    return
  }
  const before = fs
    .readdirSync(path.join(projectDir, 'blobs'))
    .filter((d) => d.length === 2)
    .reduce((n, d) => n + fs.readdirSync(path.join(projectDir, 'blobs', d)).length, 0)
  const project = openProject(projectDir)
  try {
    const refs = referencedBlobs(project)
    const stored = project.blobs.list()
    figures['orphans swept on reopen'] += before - stored.length
    const missing = [...refs].filter((h) => !project.blobs.has(h))
    if (missing.length > 0) {
      figures['rows naming a missing blob'] += missing.length
      figures['corrupt projects']++
      problems.push(`kill ${cycle}: ${missing.length} rows name a missing blob`)
    }
    const orphans = stored.filter((h) => !refs.has(h)).length
    figures['orphans after reopen'] += orphans
    if (orphans) problems.push(`kill ${cycle}: ${orphans} orphan blobs after reopen`)
    const revision = project.db
      .prepare('SELECT blob FROM mask_revisions WHERE id = ? AND image_id = ?')
      .pluck()
    for (const r of ack.revisions)
      if (revision.get(r.id, r.imageId) !== r.blob) {
        figures['writes lost']++
        problems.push(`kill ${cycle}: acknowledged mask revision ${r.id} is gone`)
      }
    const stored_labels = project.db
      .prepare('SELECT class_id FROM image_labels WHERE image_id = ? ORDER BY class_id')
      .pluck()
    for (const [imageId, l] of ack.labels) {
      if (l.acked === null) continue
      const now = JSON.stringify(stored_labels.all(imageId))
      if (now !== l.acked && !l.unanswered.has(now)) {
        figures['writes lost']++
        problems.push(`kill ${cycle}: image ${imageId} has labels ${now}, acknowledged ${l.acked}`)
      }
    }
  } finally {
    closeProject(project)
  }
}

describe(`the server killed ${KILLS} times mid-write`, () => {
  it(
    'never loses an acknowledged write, never corrupts the project, leaves no orphan after reopen',
    async () => {
      for (let cycle = 0; cycle < KILLS; cycle++) {
        // A fresh folder each time, so each import has new images to write.
        const incoming = path.join(root, `incoming-${cycle}`)
        await writeFolderDataset(
          incoming,
          Array.from({ length: 6 }, (_, i) => ({
            name: `c${cycle}-${i}.png`,
            width: 640,
            height: 480,
            labels: [i % 2],
            mask: true,
          })),
          ['benign', 'malignant'],
          1000 + cycle * 10,
        )
        const app = await serve()
        const ack: Acknowledged = { revisions: [], labels: new Map() }
        let stopped = false
        try {
          await app.call('project.open', { dir: projectDir })
          await app.post('import.start', { format: 'folder', path: incoming })
          const training = cycle % 3 === 2
          if (training)
            await app.post('train.start', {
              task: 'segmentation',
              method: 'supervised',
              labelFraction: 'user',
              preset: 'quick',
              overrides: { epochs: 3 },
            })
          const writers = [strokes(app, cycle, ack, () => stopped), labels(app, ack, () => stopped)]
          await new Promise((r) => setTimeout(r, (training ? 3000 : 200) + ((cycle * 997) % 1500)))
          // Writers start no new request from here: the ones in flight are cut by the kill.
          stopped = true
          await app.kill()
          figures.kills++
          await Promise.all(writers)
        } finally {
          stopped = true
          await app.close()
        }
        await check(cycle, ack)
        fs.rmSync(incoming, { recursive: true, force: true })
      }
      expect(problems).toEqual([])
      expect(figures.kills).toBe(KILLS)
      expect(figures['acknowledged writes']).toBeGreaterThan(KILLS)
    },
    120_000 + KILLS * 30_000,
  )
})
