// Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), item by item,
// checked against what the real main process (src/main/index.ts) and preload ask of Electron, recorded by a
// fake `electron` module, and against the real packaging config. `npm run test:security` counts these.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bundleResponse } from '../../../src/main/appProtocol'
import { makeReady, resetFakeElectron, state, type FakeContents } from './fakeElectron'

vi.mock('electron', async () => (await import('./fakeElectron')).fakeElectron)

const ROOT = path.resolve(__dirname, '..', '..', '..')
const home = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-electron-'))
const savedEnv = { ...process.env }
afterAll(() => {
  process.env = savedEnv
  fs.rmSync(home, { recursive: true, force: true })
})

/** Starts the real main process against the fake Electron, as an installed app or a checkout. */
async function boot(opts: { packaged: boolean; rendererUrl?: string }) {
  vi.resetModules()
  resetFakeElectron({ packaged: opts.packaged, home })
  process.env = { ...savedEnv }
  // Electron's own; the main process reads it to find better-sqlite3 built for Electron.
  Object.assign(process, { resourcesPath: path.join(home, 'resources') })
  process.env.S4MI_HOME = path.join(home, 'data')
  if (opts.rendererUrl) process.env.ELECTRON_RENDERER_URL = opts.rendererUrl
  else delete process.env.ELECTRON_RENDERER_URL
  await import('../../../src/main/index')
  makeReady()
  await vi.waitFor(() => expect(state.windows.length).toBe(1))
  const win = state.windows[0]
  return { win, prefs: win.options.webPreferences, contents: win.webContents as FakeContents }
}

const invoke = (senderFrame: unknown) =>
  state.ipcHandlers.get('s4mi:invoke')!(
    { senderFrame } as never,
    'project.info' as never,
    {} as never,
  ) as Promise<{
    ok: boolean
    error?: { message: string }
  }>

describe('Electron security checklist, installed app', () => {
  let app: Awaited<ReturnType<typeof boot>>
  beforeAll(async () => {
    app = await boot({ packaged: true, rendererUrl: 'http://localhost:5173/' })
  })

  it('1 and 18: the window loads app://bundle, never a file:// URL, and ignores ELECTRON_RENDERER_URL', () => {
    expect(app.win.loadedFile).toBeNull()
    expect(app.win.loadedUrl).toBe('app://bundle/index.html')
    const scheme = state.privilegedSchemes.find((s) => s.scheme === 'app')
    expect(scheme?.privileges).toMatchObject({ standard: true, secure: true })
  })

  /** Items 2, 3, 4, 6, 8, 9, 10 (and 11's webview), as every window of the app must have them. */
  const locked = {
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    contextIsolation: true,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
  }

  it('2, 3, 4, 6, 8, 9, 10: the real window options isolate and sandbox the renderer', () => {
    expect(app.prefs).toMatchObject(locked)
    expect(app.prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(String(app.prefs.preload)).toMatch(/preload[/\\]index\.js$/)
  })

  it('2, 3, 4, 6, 8, 9, 10, 11: the hidden GPU training window is sandboxed like the app window', async () => {
    const { gpuWindowLauncher } = await import('../../../src/main/gpuWindowLauncher')
    const job = gpuWindowLauncher()
    try {
      const gpu = state.windows.at(-1)!
      expect(gpu).not.toBe(app.win)
      const lockedWithWebview = { ...locked, webviewTag: false }
      expect(gpu.options.webPreferences).toMatchObject(lockedWithWebview)
      for (const key of Object.keys(lockedWithWebview))
        expect(gpu.options.webPreferences[key]).toBe(app.prefs[key])
      expect(gpu.options.webPreferences).not.toHaveProperty('enableBlinkFeatures')
      // Its own preload, which passes on MessagePorts and exposes nothing.
      expect(String(gpu.options.webPreferences.preload)).toMatch(/preload[/\\]gpuWindow\.js$/)
      // Its own page from the app's files, never a URL.
      expect(gpu.loadedUrl).toBeNull()
      expect(path.basename(gpu.loadedFile ?? '')).toBe('gpuTrainingWindow.html')
      // Its own session, which grants nothing either.
      const partition = state.partitions.get(String(gpu.options.webPreferences.partition))!
      expect(partition.permissionCheck!()).toBe(false)
      const answers: boolean[] = []
      ;(partition.permissionRequest as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(
        {},
        'media',
        (ok) => answers.push(ok),
      )
      expect(answers).toEqual([false])
      // And the same guard as every web contents (13, 14).
      expect(gpu.webContents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true)
      expect(gpu.webContents.emitPreventable('will-attach-webview', {}, {})).toBe(true)
      expect(gpu.webContents.windowOpenHandler!({ url: 'https://evil.example/' }).action).toBe('deny')
    } finally {
      job.kill()
    }
  })

  it('5: every permission request and check is denied', () => {
    const answers: boolean[] = []
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read'])
      state.permissionRequest!({}, p, (ok) => answers.push(ok))
    expect(answers).toEqual([false, false, false, false, false])
    expect(state.permissionCheck!()).toBe(false)
  })

  it('7: app:// pages and every other response carry a strict CSP with no ws: wildcard', async () => {
    const res = await state.protocolHandlers.get('app')!({ url: 'app://bundle/index.html' })
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'self'(;|$)/)
    expect(csp).toMatch(/default-src 'none'/)
    expect(csp).toMatch(/frame-ancestors 'none'/)
    expect(csp).not.toMatch(/unsafe-eval|ws:|wss:|\*/)
    let headers: Record<string, string[] | string> = {}
    state.headersReceived!(
      { url: 'app://bundle/index.html', responseHeaders: {} },
      (r) => (headers = r.responseHeaders),
    )
    expect(headers['Content-Security-Policy']).toEqual([csp])
  })

  it('11, 12: no <webview> can be attached', () => {
    expect(app.prefs.webviewTag).toBe(false)
    expect(app.contents.emitPreventable('will-attach-webview', {}, {})).toBe(true)
  })

  it('13: navigation, redirects and frame navigation outside the app are stopped', () => {
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(app.contents.emitPreventable(event, 'https://evil.example/')).toBe(true)
      expect(app.contents.emitPreventable(event, 'file:///etc/passwd')).toBe(true)
      expect(app.contents.emitPreventable(event, 'app://bundle.evil.example/')).toBe(true)
      // The dev server is not the app once packaged.
      expect(app.contents.emitPreventable(event, 'http://localhost:5173/')).toBe(true)
      expect(app.contents.emitPreventable(event, 'app://bundle/index.html#viewer')).toBe(false)
    }
  })

  it('14, 15: no new window opens; only allowlisted https links reach the system browser', () => {
    const open = (url: string) => app.contents.windowOpenHandler!({ url }).action
    for (const url of [
      'https://github.com/s4mi/studio',
      'https://evil.example/',
      'http://github.com/',
      'https://github.com.evil.example/',
      'https://user@github.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
    ])
      expect(open(url)).toBe('deny')
    expect(state.opened).toEqual(['https://github.com/s4mi/studio'])
  })

  it('16: a supported Electron major (38 or later, the lines maintained when this was written)', () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8'))
      .version as string
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(38)
  })

  it("17: IPC is answered only for the app's own top-level page", async () => {
    const refused = 'Refused: the message did not come from the app'
    for (const frame of [
      null,
      { url: 'https://evil.example/', parent: null },
      { url: 'app://bundle/index.html', parent: {} },
      { url: 'app://bundle.evil/index.html', parent: null },
      { url: 'file:///tmp/x.html', parent: null },
      { url: 'http://localhost:5173/', parent: null },
    ])
      expect((await invoke(frame)).error?.message).toBe(refused)
    const own = await invoke({ url: 'app://bundle/index.html', parent: null })
    expect(own.error?.message ?? '').not.toBe(refused)
  })

  it('18: app:// serves the bundle and nothing outside it; bad percent-encoding is a 400', async () => {
    const serve = state.protocolHandlers.get('app')!
    const status = async (url: string) => (await serve({ url })).status
    expect(await status('app://bundle/%2e%2e/%2e%2e/package.json')).not.toBe(200)
    expect(await status('app://bundle/..%2f..%2fpackage.json')).not.toBe(200)
    expect(await status('app://other/index.html')).toBe(404)
    expect(await status('app://bundle/%E0%A4%A')).toBe(400)
    const dir = fs.mkdtempSync(path.join(home, 'bundle-'))
    fs.writeFileSync(path.join(dir, 'index.html'), '<p>app</p>')
    fs.writeFileSync(path.join(home, 'secret.txt'), 'secret')
    fs.symlinkSync(path.join(home, 'secret.txt'), path.join(dir, 'leak.txt'))
    expect(bundleResponse(dir, 'app://bundle/leak.txt').status).toBe(403)
    expect(bundleResponse(dir, 'app://bundle/').status).toBe(200)
    expect(await bundleResponse(dir, 'app://bundle/index.html').text()).toBe('<p>app</p>')
  })

  it('19: the packaging config sets the fuses', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'build/electron-builder.yml'), 'utf8')
    const block = /^electronFuses:\n((?:[ \t]+\w+:.*\n?)+)/m.exec(yml)?.[1] ?? ''
    const fuses = Object.fromEntries([...block.matchAll(/^\s+(\w+):\s*(\w+)/gm)].map((m) => [m[1], m[2]]))
    expect(fuses).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableCookieEncryption: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    })
  })

  it('20: the preload exposes only invoke and onEvent, on their two channels', async () => {
    await import('../../../src/preload/index')
    const bridge = state.exposed.get('s4mi') as Record<string, (...a: unknown[]) => unknown>
    expect([...state.exposed.keys()]).toEqual(['s4mi'])
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent'])
    await bridge.invoke('project.info', {})
    const off = bridge.onEvent(() => undefined) as () => void
    off()
    expect(state.ipcRendererCalls.map((c) => c[1])).toEqual(['s4mi:invoke', 's4mi:event', 's4mi:event'])
  })
})

describe('Electron in a checkout (npm run dev)', () => {
  it('follows ELECTRON_RENDERER_URL only to a dev server on this machine', async () => {
    expect((await boot({ packaged: false, rendererUrl: 'http://localhost:5173/' })).win.loadedUrl).toBe(
      'http://localhost:5173/',
    )
    expect((await boot({ packaged: false, rendererUrl: 'https://evil.example/' })).win.loadedUrl).toBe(
      'app://bundle/index.html',
    )
  })
})
