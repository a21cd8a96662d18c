import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../core/api/handlers'
import { Session } from '../core/api/session'
import { startServer, type RunningServer } from './server'

// An export as a zip download: fetched once with the key, named after the project, then removed.
let tmp: string
let server: RunningServer
let session: Session

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-download-'))
  fs.mkdirSync(path.join(tmp, 'static'))
  fs.writeFileSync(path.join(tmp, 'static', 'index.html'), '<!doctype html>')
  session = new Session({
    dataDir: path.join(tmp, 'data'),
    version: 'test',
    transport: 'http',
    defaultProjectsDir: tmp,
  })
  server = await startServer({
    session,
    handlers: createHandlers(session),
    staticDir: path.join(tmp, 'static'),
    host: '127.0.0.1',
    port: 0,
  })
})
afterAll(async () => {
  await server.close()
  session.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function call<T>(method: string, body: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-s4mi-token': server.key! },
    body: JSON.stringify(body),
  })
  const out = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } }
  if (!out.ok) throw new Error(out.error!.message)
  return out.result as T
}

describe('export download', () => {
  it('sends the export as a zip once, to the key holder only, and removes it', async () => {
    await call('project.create', {
      dir: path.join(tmp, 'p'),
      name: 'Skin / study',
      labelMode: 'multi-class',
      classes: [],
    })
    const r = await call<{ downloadId: string; fileName: string; files: string[] }>(
      'annotations.exportZip',
      {},
    )
    expect(r.fileName).toBe('Skin_study-annotations.zip')
    expect(r.files).toEqual(['annotations.coco.json', 'labels.csv'])
    const url = `${server.url}/download/${r.downloadId}`
    expect((await fetch(`${url}?key=wrong`)).status).toBe(403)
    const res = await fetch(`${url}?key=${server.key}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Skin_study-annotations.zip"')
    const entries = unzipSync(new Uint8Array(await res.arrayBuffer()))
    expect(Object.keys(entries).sort()).toEqual(r.files)
    expect(JSON.parse(Buffer.from(entries['annotations.coco.json']).toString()).images).toEqual([])
    expect((await fetch(`${url}?key=${server.key}`)).status).toBe(404)
    await new Promise((done) => setTimeout(done, 50))
    expect(fs.readdirSync(path.join(tmp, 'data', 'downloads'))).toEqual([])
  })
})
