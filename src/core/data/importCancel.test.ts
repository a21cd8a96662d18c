import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../api/dispatch'
import { createHandlers } from '../api/handlers'
import { Session } from '../api/session'
import { countImages } from '../store/images'
import { closeProject, createProject } from '../store/project'
import { ImportCancelled } from './importError'
import { importImages } from './importImages'

// One flat PNG big enough that its decode and tiling take seconds: above the whole-decode limit it is read
// stripe by stripe, and each stripe of a PNG is decoded from the top. S4MI_IMPORT_CANCEL_FULL=1 uses a
// 16,000² image (minutes to import); the short version a 7,000 × 7,000 one.
const FULL = process.env.S4MI_IMPORT_CANCEL_FULL === '1'
const SIDE = FULL ? 16_000 : 7_000
let dir = ''
let file = ''

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cancel-'))
  file = path.join(dir, 'big.png')
  await sharp({
    create: { width: SIDE, height: SIDE, channels: 3, background: { r: 230, g: 220, b: 210 } },
    limitInputPixels: false,
  })
    .png({ compressionLevel: 1 })
    .toFile(file)
}, 300_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('cancelling an import inside one image', () => {
  it('ends the job within a second of the cancel, mid-decode, and leaves the project as it was', async () => {
    const project = createProject(path.join(dir, 'p'), { name: 'p', labelMode: 'multi-class', classes: [] })
    const blobsBefore = project.blobs.list().length
    const controller = new AbortController()
    const started = Date.now()
    const outcome = importImages(project, [file], { signal: controller.signal }).then(
      () => 'finished',
      (e: unknown) => e,
    )
    // Cancel while the one image is being decoded and tiled (there is no earlier point between images).
    let abortedAt = 0
    setTimeout(() => {
      abortedAt = Date.now()
      controller.abort()
    }, 300)
    const result = await outcome
    const ended = Date.now()
    expect(result).toBeInstanceOf(ImportCancelled)
    expect(abortedAt).toBeGreaterThan(started)
    expect(ended - abortedAt).toBeLessThan(1000)
    expect(countImages(project)).toBe(0)
    expect(project.blobs.list().length).toBe(blobsBefore)
    closeProject(project)
  })

  it('an import job of that image ends as cancelled within a second of jobs.cancel', async () => {
    const session = new Session({
      dataDir: path.join(dir, 'data'),
      version: 'test',
      transport: 'http',
      defaultProjectsDir: dir,
    })
    const handlers = createHandlers(session)
    const call = async (method: string, input: unknown) => {
      const r = await dispatch(handlers, method, input)
      if (!r.ok) throw new Error(r.error.message)
      return r.result as Record<string, unknown>
    }
    await call('project.create', {
      dir: path.join(dir, 'job'),
      name: 'job',
      labelMode: 'multi-class',
      classes: [],
    })
    const { jobId } = (await call('import.start', { format: 'images', path: file })) as { jobId: string }
    const ended = new Promise<{ status: string; at: number }>((resolve) =>
      session.jobs.onChange((j) => {
        if (j.id === jobId && !['queued', 'running'].includes(j.status))
          resolve({ status: j.status, at: Date.now() })
      }),
    )
    await new Promise((r) => setTimeout(r, 300))
    const cancelledAt = Date.now()
    await call('jobs.cancel', { jobId })
    const end = await ended
    expect(end.status).toBe('cancelled')
    expect(end.at - cancelledAt).toBeLessThan(1000)
    expect((await call('project.info', {})).counts).toMatchObject({ images: 0, tiles: 0 })
    session.close()
  })
})
