// A page at another origin and a file:// page, in real headless Chromium, try to drive the serve-mode API and
// read its event stream, with and without the launch key: both refused, nothing changed, no event read. The
// app's own page doing the same is the control that shows the probes can see a success.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type BrowserApp } from './harness'

let app: BrowserApp
let attacker: http.Server
let attackerOrigin = ''

/** What a hostile page runs: every way a browser lets it reach another origin. Reports in window.__probe. */
function probeScript(api: string, key: string, dir: string): string {
  return `
  window.__probe = (async () => {
    const api = ${JSON.stringify(api)}, key = ${JSON.stringify(key)}, dir = ${JSON.stringify(dir)}
    const out = { reads: [], wsOpened: 0, wsMessages: 0 }
    const create = (n) => JSON.stringify({ dir: dir + '/' + n, name: n, labelMode: 'multi-class', classes: [] })
    const attempt = async (label, init) => {
      try {
        const r = await fetch(api + '/api/project.create', init)
        // An opaque (no-cors) answer cannot be read: type 'opaque', status 0.
        if (r.type !== 'opaque') out.reads.push(label + ': ' + r.status + ' ' + (await r.text()).slice(0, 80))
      } catch (e) { /* refused by the browser (CORS) */ }
    }
    await attempt('no-cors text/plain', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: create('nocors') })
    await attempt('cors json with key', { method: 'POST', headers: { 'content-type': 'application/json', 'x-s4mi-token': key }, body: create('cors') })
    await attempt('cors json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: create('corsnokey') })
    try {
      const r = await fetch(api + '/api/app.status?key=' + key, { method: 'POST', mode: 'no-cors', body: '{}' })
      if (r.type !== 'opaque') out.reads.push('status: ' + r.status)
    } catch (e) {}
    const form = document.createElement('form')
    form.method = 'POST'; form.enctype = 'text/plain'; form.target = 'sink'
    form.action = api + '/api/project.create'
    const field = document.createElement('input')
    field.name = '{"dir":"' + dir + '/form","name":"f","labelMode":"multi-class","classes":[],"x":"'
    field.value = '"}'
    form.appendChild(field)
    const sink = document.createElement('iframe'); sink.name = 'sink'; document.body.appendChild(sink)
    document.body.appendChild(form); form.submit()
    const sockets = [[], ['s4mi.v1'], ['s4mi.v1', 's4mi.token.' + key]].map((protocols) => {
      const ws = new WebSocket(api.replace('http', 'ws') + '/events', protocols)
      ws.onopen = () => out.wsOpened++
      ws.onmessage = () => out.wsMessages++
      return ws
    })
    await new Promise((r) => setTimeout(r, 2500))
    sockets.forEach((s) => s.close())
    return out
  })()`
}

beforeAll(async () => {
  app = await startApp()
  attacker = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(`<!doctype html><body><script>${probeScript(app.url, app.key, app.projectsDir)}</script></body>`)
  })
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()))
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`
})

afterAll(async () => {
  attacker?.close()
  await app?.close()
})

/** Opens the hostile page in a new tab while the app emits events, and returns what the page got. */
async function probe(url: string) {
  const page = await app.context.newPage()
  await page.goto(url)
  // Events the hostile sockets would receive if they were let in.
  for (let i = 0; i < 3; i++) {
    await app.call('project.create', {
      dir: path.join(app.projectsDir, `legit-${url.length}-${i}`),
      name: 'l',
      labelMode: 'multi-class',
      classes: [],
    })
    await new Promise((r) => setTimeout(r, 300))
  }
  const out = (await page.evaluate('window.__probe')) as {
    reads: string[]
    wsOpened: number
    wsMessages: number
  }
  await page.close()
  return out
}

const created = () =>
  ['nocors', 'cors', 'corsnokey', 'form'].filter((n) => fs.existsSync(path.join(app.projectsDir, n)))

describe('a hostile page in Chromium against serve mode', () => {
  it('control: the app page itself changes a project and reads events with its key', async () => {
    const dir = path.join(app.projectsDir, 'control')
    const got = await app.page.evaluate(
      async ({ key, dir, origin }) => {
        let messages = 0
        const ws = new WebSocket(origin.replace('http', 'ws') + '/events', ['s4mi.v1', `s4mi.token.${key}`])
        ws.onmessage = () => messages++
        await new Promise((resolve, reject) => {
          ws.onopen = resolve
          ws.onerror = reject
        })
        const r = await fetch('/api/project.create', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-s4mi-token': key },
          body: JSON.stringify({ dir, name: 'c', labelMode: 'multi-class', classes: [] }),
        })
        await new Promise((resolve) => setTimeout(resolve, 1000))
        ws.close()
        return { status: r.status, messages }
      },
      { key: app.key, dir, origin: app.url },
    )
    expect(got.status).toBe(200)
    expect(got.messages).toBeGreaterThan(0)
    expect(fs.existsSync(dir)).toBe(true)
  })

  it('a page at another origin can neither change a project nor read a response or an event', async () => {
    const out = await probe(`${attackerOrigin}/attack.html`)
    expect(out).toEqual({ reads: [], wsOpened: 0, wsMessages: 0 })
    expect(created()).toEqual([])
  })

  it('a file:// page can neither change a project nor read a response or an event', async () => {
    const file = path.join(app.dataDir, 'attack.html')
    fs.writeFileSync(
      file,
      `<!doctype html><body><script>${probeScript(app.url, app.key, app.projectsDir)}</script></body>`,
    )
    const out = await probe(`file://${file}`)
    expect(out).toEqual({ reads: [], wsOpened: 0, wsMessages: 0 })
    expect(created()).toEqual([])
  })
})
