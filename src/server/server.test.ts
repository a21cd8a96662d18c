import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Session } from '../core/api/session'
import type { ApiEvent } from '../shared/events'
import { postApi, startTestServer, type TestServer } from './fixtures/testServer'
import type { RunningServer } from './server'

let harness: TestServer
let tmp: string
let server: RunningServer
let session: Session

beforeAll(async () => {
  harness = await startTestServer('server')
  ;({ tmp, server, session } = harness)
})

afterAll(() => harness.close())

const call = (method: string, body: unknown, raw = false) => postApi(server, method, body, raw)

describe('serve mode API', () => {
  it('rejects bad payloads with a message naming the field', async () => {
    const empty = await call('project.create', {
      dir: path.join(tmp, 'p'),
      name: '',
      labelMode: 'multi-class',
      classes: [],
    })
    expect(empty.status).toBe(400)
    expect(empty.body.error?.message).toMatch(/name: name must not be empty/)
    expect(empty.body.error?.issues?.[0].path).toBe('name')

    const colour = await call('project.create', {
      dir: path.join(tmp, 'p'),
      name: 'P',
      labelMode: 'multi-class',
      classes: [{ name: 'a', color: 'red' }],
    })
    expect(colour.body.error?.message).toMatch(/classes\.0\.color: color must look like #rrggbb/)

    const mode = await call('project.create', {
      dir: path.join(tmp, 'p'),
      name: 'P',
      labelMode: 'both',
      classes: [],
    })
    expect(mode.body.error?.message).toMatch(/labelMode/)

    const extra = await call('project.info', { sneaky: 1 })
    expect(extra.body.error?.message).toMatch(/sneaky/)

    const unknown = await call('project.delete', {})
    expect(unknown.status).toBe(400)
    expect(unknown.body.error?.message).toMatch(/Unknown API method: "project.delete"/)

    const notJson = await call('project.info', '{nope', true)
    expect(notJson.status).toBe(400)
    expect(notJson.body.error?.message).toMatch(/not valid JSON/)

    // Nothing was created by any of the rejected calls.
    expect(fs.existsSync(path.join(tmp, 'p'))).toBe(false)
  })

  it('needs a project before project calls, and says so', async () => {
    const r = await call('images.list', {})
    expect(r.body.error?.message).toMatch(/No project is open/)
  })

  it('creates a project, streams events over the WebSocket, and serves blobs', async () => {
    const ws = new WebSocket(server.url.replace('http', 'ws') + '/events', [
      's4mi.v1',
      `s4mi.token.${server.key}`,
    ])
    const events: ApiEvent[] = []
    ws.on('message', (m) => events.push(JSON.parse(String(m)) as ApiEvent))
    await new Promise((r) => ws.once('open', r))
    const created = await call('project.create', {
      dir: path.join(tmp, 'proj'),
      name: 'Proj',
      labelMode: 'multi-label',
      classes: [{ name: 'vessel', color: '#aa0000' }],
    })
    expect(created.status).toBe(200)
    expect(created.body.result as { name: string }).toMatchObject({ name: 'Proj' })
    await new Promise((r) => setTimeout(r, 50))
    expect(events).toContainEqual({ type: 'project', change: 'opened' })
    ws.close()

    const hash = session.requireProject().blobs.put(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))
    const key = `?key=${server.key}`
    const blob = await fetch(`${server.url}/blob/${hash}${key}`)
    expect(blob.status).toBe(200)
    expect(blob.headers.get('content-type')).toBe('image/png')
    expect((await fetch(`${server.url}/blob/${hash}`)).status).toBe(403)
    expect((await fetch(`${server.url}/blob/${'0'.repeat(64)}${key}`)).status).toBe(404)
    // Paths are normalised before routing: nothing outside the blob store or the renderer is ever read.
    expect(await (await fetch(`${server.url}/blob/../../etc/passwd${key}`)).text()).not.toContain('root:')
    expect((await fetch(`${server.url}/blob/${hash.slice(0, 10)}${key}`)).status).toBe(404)
  })

  it('serves the renderer and refuses foreign Host headers', async () => {
    const page = await fetch(`${server.url}/images/42`)
    expect(await page.text()).toContain('<title>S4MI</title>')
    const status = await new Promise<number>((resolve) => {
      http
        .get(
          { host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example:80' } },
          (res) => resolve(res.statusCode ?? 0),
        )
        .end()
    })
    expect(status).toBe(403)
  })
})
