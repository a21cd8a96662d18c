import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Session } from '../core/api/session'
import type { ProjectInfo } from '../shared/types'
import { callApi, startTestServer, type TestServer } from './fixtures/testServer'
import type { RunningServer } from './server'

// Browser uploads through the server's own route: the key and origin checks, the size limit, relative
// paths that try to leave the staging folder, and the all-or-nothing import that removes the staged files.
let harness: TestServer
let tmp: string
let server: RunningServer
let session: Session
let png: Buffer
const LIMIT = 64 * 1024

beforeAll(async () => {
  harness = await startTestServer('upload', {
    session: () => ({ uploadLimits: { maxBytes: LIMIT, maxFiles: 10, maxOpen: 2 } }),
  })
  ;({ tmp, server, session } = harness)
  png = await pngOf(90)
  await call('project.create', { dir: path.join(tmp, 'p'), name: 'P', labelMode: 'multi-class', classes: [] })
})

afterAll(() => harness.close())

const pngOf = (grey: number) =>
  sharp(Buffer.alloc(8 * 6 * 3, grey), { raw: { width: 8, height: 6, channels: 3 } })
    .png()
    .toBuffer()

const call = <T = unknown>(method: string, body: unknown) => callApi<T>(server, method, body)

function put(uploadId: string, name: string, body: Uint8Array, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/upload/${uploadId}`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/octet-stream',
      'x-s4mi-token': server.key!,
      'x-s4mi-upload-path': encodeURIComponent(name),
      ...headers,
    },
    body,
  })
}

const stagingDir = (id: string) => path.join(tmp, 'data', 'uploads', id)
const imageCount = async () => (await call<ProjectInfo>('project.info', {})).counts.images

describe('uploads in serve mode', () => {
  it('refuses relative paths that leave the staging folder, and writes nothing for them', async () => {
    const { uploadId } = await call<{ uploadId: string }>('upload.begin', {})
    for (const bad of [
      '../x.png',
      'a/../../x.png',
      '/etc/x.png',
      'a\\..\\x.png',
      'a//b.png',
      './a.png',
      'C:x',
    ]) {
      const res = await put(uploadId, bad, png)
      expect(res.status, bad).toBe(400)
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/path/)
    }
    expect(fs.readdirSync(stagingDir(uploadId))).toEqual([])
    expect(fs.existsSync(path.join(tmp, 'data', 'x.png'))).toBe(false)
    await call('upload.discard', { uploadId })
    expect(fs.existsSync(stagingDir(uploadId))).toBe(false)
  })

  it('refuses uploads without the key, from another origin, or past the size limit', async () => {
    const { uploadId } = await call<{ uploadId: string }>('upload.begin', {})
    expect((await put(uploadId, 'a.png', png, { 'x-s4mi-token': 'wrong' })).status).toBe(401)
    expect((await put(uploadId, 'a.png', png, { origin: 'http://evil.example' })).status).toBe(403)
    expect((await put(uploadId, 'a.png', png, { 'content-type': 'text/plain' })).status).toBe(415)
    expect((await put('0'.repeat(32), 'a.png', png)).status).toBe(404)
    expect((await put(uploadId, 'big.png', new Uint8Array(LIMIT + 1))).status).toBe(413)
    expect((await put(uploadId, 'a.png', png)).status).toBe(200)
    expect((await put(uploadId, 'a.png', png)).status).toBe(409)
    expect(fs.readdirSync(stagingDir(uploadId))).toEqual(['a.png'])
    await call('upload.discard', { uploadId })
  })

  it('imports an uploaded folder as a job and removes the staged files', async () => {
    const { uploadId } = await call<{ uploadId: string }>('upload.begin', {})
    expect((await put(uploadId, 'slides/one.png', png)).status).toBe(200)
    expect((await put(uploadId, 'slides/two.png', await pngOf(150))).status).toBe(200)
    const { jobId } = await call<{ jobId: string }>('upload.import', { uploadId, format: 'images' })
    const job = await session.jobs.wait(jobId)
    expect(job.status, job.error ?? '').toBe('succeeded')
    expect(job.title).toBe('Import images from slides')
    expect(await imageCount()).toBe(2)
    await vi.waitFor(() => expect(fs.existsSync(stagingDir(uploadId))).toBe(false))
    await expect(call('upload.import', { uploadId, format: 'images' })).rejects.toThrow(/no such upload/)
  })

  it('leaves the project as it was when the uploaded files fail to import, and removes them', async () => {
    const before = await imageCount()
    const { uploadId } = await call<{ uploadId: string }>('upload.begin', {})
    expect((await put(uploadId, 'ok.png', await pngOf(200))).status).toBe(200)
    expect((await put(uploadId, 'broken.png', new TextEncoder().encode('not a png'))).status).toBe(200)
    const { jobId } = await call<{ jobId: string }>('upload.import', { uploadId, format: 'images' })
    expect((await session.jobs.wait(jobId)).status).toBe('failed')
    expect(await imageCount()).toBe(before)
    await vi.waitFor(() => expect(fs.existsSync(stagingDir(uploadId))).toBe(false))
  })

  it('removes the staged files when an import is refused before it starts', async () => {
    const { uploadId } = await call<{ uploadId: string }>('upload.begin', {})
    expect((await put(uploadId, 'notes.txt', new TextEncoder().encode('hello'))).status).toBe(200)
    await expect(call('upload.import', { uploadId, format: 'images' })).rejects.toThrow(/no PNG/)
    expect(fs.existsSync(stagingDir(uploadId))).toBe(false)
  })
})
