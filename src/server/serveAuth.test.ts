import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startTestServer, type TestServer } from './fixtures/testServer'
import type { RunningServer } from './server'
import { ServeAccess } from './serveAccess'

let harness: TestServer
let tmp: string
let server: RunningServer

beforeAll(async () => {
  harness = await startTestServer('auth', {
    prepare: (dir) => {
      fs.writeFileSync(path.join(dir, 'secret.txt'), 'not for the web')
      fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'static', 'leak.txt'))
    },
    session: (dir) => ({ defaultProjectsDir: path.join(dir, 'projects') }),
  })
  ;({ tmp, server } = harness)
})

afterAll(() => harness.close())

const createBody = (name: string) =>
  JSON.stringify({
    dir: path.join(tmp, 'projects', name),
    name,
    labelMode: 'multi-class',
    classes: [],
  })

function post(method: string, headers: Record<string, string>, body = '{}') {
  return fetch(`${server.url}/api/${method}`, { method: 'POST', headers, body })
}

/** A raw request, so that headers fetch() would not let us set (Origin, Sec-Fetch-Site) can be sent. */
function raw(
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: urlPath, method, headers },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('serve mode lets in only its own page holding this launch’s key', () => {
  const json = { 'content-type': 'application/json' }

  it('prints the key in the address and accepts calls that carry it', async () => {
    expect(server.key).toMatch(/^[\w-]{40,}$/)
    expect(server.pageUrl).toBe(`${server.url}/?key=${server.key}`)
    const ok = await post('app.status', { ...json, 'x-s4mi-token': server.key! })
    expect(ok.status).toBe(200)
  })

  it('refuses calls without the key, with a wrong key, or as text/plain', async () => {
    expect((await post('project.create', json, createBody('a'))).status).toBe(401)
    expect((await post('project.create', { ...json, 'x-s4mi-token': 'guess' }, createBody('b'))).status).toBe(
      401,
    )
    const plain = await post(
      'project.create',
      { 'content-type': 'text/plain', 'x-s4mi-token': server.key! },
      createBody('c'),
    )
    expect(plain.status).toBe(415)
    for (const n of ['a', 'b', 'c']) expect(fs.existsSync(path.join(tmp, 'projects', n))).toBe(false)
  })

  it('refuses another origin, a file:// page and a same-site page on another port, even with the key', async () => {
    const headers = { ...json, 'x-s4mi-token': server.key!, host: `127.0.0.1:${server.port}` }
    const attempts: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: `http://127.0.0.1:${server.port + 1}` },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
    ]
    for (const extra of attempts) {
      const r = await raw('POST', '/api/project.create', { ...headers, ...extra }, createBody('d'))
      expect(r.status, JSON.stringify(extra)).toBe(403)
    }
    const own = await raw(
      'POST',
      '/api/app.status',
      { ...headers, origin: server.url, 'sec-fetch-site': 'same-origin' },
      '{}',
    )
    expect(own.status).toBe(200)
    expect(fs.existsSync(path.join(tmp, 'projects', 'd'))).toBe(false)
  })

  it('opens the event stream only with the key and from its own origin', async () => {
    const wsUrl = server.url.replace('http', 'ws') + '/events'
    const attempt = (protocols: string[], origin?: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl, protocols, origin ? { origin } : {})
        ws.once('open', () => {
          ws.close()
          resolve('open')
        })
        ws.once('error', () => resolve('refused'))
      })
    expect(await attempt(['s4mi.v1'])).toBe('refused')
    expect(await attempt(['s4mi.v1', 's4mi.token.wrong'])).toBe('refused')
    expect(await attempt(['s4mi.v1', `s4mi.token.${server.key}`], 'http://evil.example')).toBe('refused')
    expect(await attempt(['s4mi.v1', `s4mi.token.${server.key}`], 'null')).toBe('refused')
    expect(await attempt(['s4mi.v1', `s4mi.token.${server.key}`], server.url)).toBe('open')
  })

  it('answers CORS preflights without granting anything', async () => {
    const r = await raw('OPTIONS', '/api/project.create', {
      origin: 'http://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-s4mi-token,content-type',
    })
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('sends a CSP, nosniff and frame-ancestors none; 400 for bad percent-encoding', async () => {
    const page = await fetch(`${server.url}/`)
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/\bws:(?!\/\/)/)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    const api = await post('app.status', { ...json, 'x-s4mi-token': server.key! })
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')
    expect((await fetch(`${server.url}/%E0%A4%A`)).status).toBe(400)
    expect((await fetch(`${server.url}/blob/%ZZ`)).status).toBe(400)
  })

  it('does not follow a symlink out of the renderer folder', async () => {
    const r = await fetch(`${server.url}/leak.txt`)
    expect(r.status).toBe(403)
    expect(await r.text()).not.toContain('not for the web')
  })

  it('refuses an over-sized body before reading it, per route', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) })
    const r = await post('project.info', { ...json, 'x-s4mi-token': server.key! }, big)
    expect(r.status).toBe(413)
    // mask.commit may carry a mask PNG: the same size passes the size check and reaches validation.
    const m = await post(
      'mask.commit',
      { ...json, 'x-s4mi-token': server.key! },
      JSON.stringify({ imageId: 1, png: 'A'.repeat(2 * 1024 * 1024) }),
    )
    expect(m.status).toBe(400)
  })
})

describe('lab-server mode: a shared password', () => {
  it('issues keys only for the right password and slows down guessing', async () => {
    const access = new ServeAccess({ password: 'correct horse battery' })
    expect(access.launchKey).toBeNull()
    expect(access.allows('anything')).toBe(false)
    expect(await access.signIn('wrong', '10.0.0.2')).toBeNull()
    const key = await access.signIn('correct horse battery', '10.0.0.2')
    expect(key).toBeTruthy()
    expect(access.allows(key)).toBe(true)
    expect(() => new ServeAccess({ password: 'short' })).toThrow(/at least 12/)
  })
})
