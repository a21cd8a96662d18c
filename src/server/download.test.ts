import fs from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi, startTestServer, type TestServer } from './fixtures/testServer'
import type { RunningServer } from './server'

// An export as a zip download: fetched once with the key, named after the project, then removed.
let harness: TestServer
let tmp: string
let server: RunningServer

beforeAll(async () => {
  harness = await startTestServer('download')
  ;({ tmp, server } = harness)
})
afterAll(() => harness.close())

const call = <T>(method: string, body: unknown) => callApi<T>(server, method, body)

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
