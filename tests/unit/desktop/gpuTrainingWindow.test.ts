// The desktop app's sandboxed GPU training window, against the fake `electron` module (no Electron binary
// here): the launcher in the main process (window settings, its own session, its jobs port, the run's host
// process, its end), the window's preload, and its page's failure path. The window's script in a real page is
// tested by tests/gpu (Chromium) and, built, by gpuWindowBundle.test.ts; window and host joined as one
// worker by src/core/train/gpuWindowWithHost.test.ts.
import path from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FromWorker, ToWorker } from '../../../src/core/train/workerProtocol'
import { gpuWindowPage } from '../../../src/main/gpuWindowPage'
import { gpuWindowChannels, gpuWindowPorts } from '../../../src/shared/gpuWindowChannels'
import { resetFakeElectron, state, type FakeMessagePort, type FakeWindow } from './fakeElectron'
import { runPage, within } from './gpuWindowPageRunner'

vi.mock('electron', async () => (await import('./fakeElectron')).fakeElectron)

const backend: FromWorker = {
  type: 'backend',
  name: 'webgpu',
  device: 'GPU (WebGPU: test adapter)',
  warning: null,
  accelerated: true,
  slowFallback: false,
  threads: 1,
  skipped: ['node-gpu: not in the desktop app'],
}

const savedBackend = process.env.S4MI_BACKEND

/** A GPU job as the app starts one, with what it hears from it. */
async function openJob() {
  const { gpuWindowLauncher } = await import('../../../src/main/gpuWindowLauncher')
  const worker = gpuWindowLauncher()
  const win = state.windows.at(-1)!
  const heard: FromWorker[] = []
  const exits: (number | null)[] = []
  worker.onMessage((m) => heard.push(m))
  worker.onExit((c) => exits.push(c))
  return { worker, win, heard, exits }
}

/** The ports main has sent the window's page so far, by name (what its preload passes on). */
function portsSent(win: FakeWindow): { name: unknown; ports: FakeMessagePort[] }[] {
  return win.webContents.posted.map((p) => {
    expect(p.channel).toBe(gpuWindowChannels.port)
    return { name: p.message, ports: p.ports }
  })
}

/** The page's end of its jobs port, listening as the page's script does; what it receives. */
function pageJobs(win: FakeWindow) {
  const sent = portsSent(win).filter((p) => p.name === gpuWindowPorts.jobs)
  expect(sent).toHaveLength(1)
  expect(sent[0].ports).toHaveLength(1)
  const port = sent[0].ports[0]
  const received: ToWorker[] = []
  port.on('message', (ev) => received.push(ev.data as ToWorker))
  port.start()
  return { port, received }
}

describe('the GPU training window, main side', () => {
  beforeEach(() => {
    vi.resetModules()
    resetFakeElectron({ packaged: true, home: '/tmp' })
    // The run's host stays up until a test ends it.
    state.forkedExitAtOnce = false
    delete process.env.S4MI_BACKEND
  })
  afterEach(() => {
    vi.useRealTimers()
    if (savedBackend === undefined) delete process.env.S4MI_BACKEND
    else process.env.S4MI_BACKEND = savedBackend
  })

  it('opens a hidden window sandboxed like the app window, for our own page only, in a session that grants nothing', async () => {
    const { win } = await openJob()
    expect(win.options.show).toBe(false)
    const prefs = win.options.webPreferences
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      backgroundThrottling: false,
      partition: 'gpu-training',
    })
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(String(prefs.preload)).toMatch(/preload[/\\]gpuWindow\.js$/)
    // A file beside the main bundle, never a URL.
    expect(win.loadedUrl).toBeNull()
    expect(path.basename(win.loadedFile!)).toBe('gpuTrainingWindow.html')
    const partition = state.partitions.get('gpu-training')!
    expect(partition.permissionCheck?.()).toBe(false)
    const answers: boolean[] = []
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read'])
      (partition.permissionRequest as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(
        null,
        p,
        (ok) => answers.push(ok),
      )
    expect(answers).toEqual([false, false, false, false, false])
  })

  it('gives the page its jobs port only once the page has loaded; the job waits in the port', async () => {
    const { worker, win } = await openJob()
    worker.send({ type: 'run', projectDir: '/p', runId: 3, threads: 2 })
    expect(win.webContents.posted).toEqual([])
    win.webContents.emit('did-finish-load')
    const { port, received } = pageJobs(win)
    expect(received).toEqual([{ type: 'run', projectDir: '/p', runId: 3, threads: 2 }])
    // The port was transferred: a second load (a reload) is not sent one again.
    win.webContents.emit('did-finish-load')
    expect(win.webContents.posted).toHaveLength(1)
    expect(port.closed).toBe(false)
  })

  it('tells the window a GPU backend only when S4MI_BACKEND forces webgpu or webgl', async () => {
    const runs: ToWorker[] = []
    for (const forced of [undefined, 'wasm', 'webgpu', 'webgl']) {
      if (forced === undefined) delete process.env.S4MI_BACKEND
      else process.env.S4MI_BACKEND = forced
      const { worker, win } = await openJob()
      win.webContents.emit('did-finish-load')
      const { received } = pageJobs(win)
      worker.send({ type: 'run', projectDir: '/p', runId: 1 })
      worker.send({ type: 'probe' })
      runs.push(...received)
    }
    expect(runs).toEqual([
      { type: 'run', projectDir: '/p', runId: 1 },
      { type: 'probe' },
      { type: 'run', projectDir: '/p', runId: 1 },
      { type: 'probe' },
      { type: 'run', projectDir: '/p', runId: 1, forcedGpu: 'webgpu' },
      { type: 'probe', forcedGpu: 'webgpu' },
      { type: 'run', projectDir: '/p', runId: 1, forcedGpu: 'webgl' },
      { type: 'probe', forcedGpu: 'webgl' },
    ])
  })

  it("starts the run's host once the window has a backend, joins the two, and ends with the host", async () => {
    const { worker, win, heard, exits } = await openJob()
    worker.send({ type: 'run', projectDir: '/p', runId: 3, threads: 2 })
    win.webContents.emit('did-finish-load')
    const jobs = pageJobs(win)
    expect(state.forked).toEqual([])
    jobs.port.postMessage(backend)
    expect(heard).toEqual([backend])
    // The host: the same worker entry as a CPU run's, told to host this run and given one end of a channel.
    expect(state.forked).toHaveLength(1)
    const host = state.forked[0]
    expect(path.basename(host.modulePath)).toBe('jobWorker.js')
    expect(host.posted).toHaveLength(1)
    expect(host.posted[0].message).toEqual({
      type: 'host',
      projectDir: '/p',
      runId: 3,
      backend: {
        name: backend.name,
        device: backend.device,
        warning: backend.warning,
        skipped: backend.skipped,
      },
      threads: 2,
    })
    expect(host.posted[0].ports).toHaveLength(1)
    const hostPort = host.posted[0].ports[0]
    // The window gets the other end, as its 'trainer' port.
    const trainer = portsSent(win).filter((p) => p.name === gpuWindowPorts.trainer)
    expect(trainer).toHaveLength(1)
    expect(trainer[0].ports).toHaveLength(1)
    expect(trainer[0].ports[0].other).toBe(hostPort)
    expect(portsSent(win).map((p) => p.name)).toEqual([gpuWindowPorts.jobs, gpuWindowPorts.trainer])
    // The job's messages now come from the host; a cancel goes to it, not to the window.
    host.emit('message', { type: 'progress', progress: { epoch: 1 } })
    host.emit('message', { type: 'done', metrics: { dice: 0.8 } })
    expect(heard.slice(1)).toEqual([
      { type: 'progress', progress: { epoch: 1 } },
      { type: 'done', metrics: { dice: 0.8 } },
    ])
    worker.send({ type: 'cancel' })
    expect(host.posted.at(-1)!.message).toEqual({ type: 'cancel' })
    expect(jobs.received).toEqual([{ type: 'run', projectDir: '/p', runId: 3, threads: 2 }])
    // The host's exit is the job's, once: the window's 'closed' after destroy() is not a second one.
    expect(win.destroyed).toBe(false)
    host.emit('exit', 0)
    expect(win.destroyed).toBe(true)
    expect(exits).toEqual([0])
    expect(jobs.port.closed).toBe(true)
    worker.send({ type: 'run', projectDir: '/p', runId: 4 })
    expect(jobs.received).toHaveLength(1)
    expect(state.forked).toHaveLength(1)
  })

  it('a probe answered with a backend ends there, with no host', async () => {
    const { worker, win, heard, exits } = await openJob()
    worker.send({ type: 'probe', threads: 1 })
    win.webContents.emit('did-finish-load')
    const jobs = pageJobs(win)
    expect(jobs.received).toEqual([{ type: 'probe', threads: 1 }])
    jobs.port.postMessage(backend)
    expect(heard).toEqual([backend])
    expect(exits).toEqual([0])
    expect(win.destroyed).toBe(true)
    expect(state.forked).toEqual([])
  })

  it("passes on the window's 'gpuUnavailable' and starts no host", async () => {
    const { worker, win, heard } = await openJob()
    worker.send({ type: 'run', projectDir: '/p', runId: 3 })
    win.webContents.emit('did-finish-load')
    const unavailable: FromWorker = { type: 'gpuUnavailable', webgpu: 'no adapter', webgl: 'no context' }
    pageJobs(win).port.postMessage(unavailable)
    expect(heard).toEqual([unavailable])
    expect(state.forked).toEqual([])
    expect(portsSent(win).map((p) => p.name)).toEqual([gpuWindowPorts.jobs])
  })

  it('a window that never answers hands the job back after the start timeout', async () => {
    vi.useFakeTimers()
    const { gpuWindowStartTimeoutMs } = await import('../../../src/main/gpuWindowLauncher')
    const { worker, win, heard, exits } = await openJob()
    worker.send({ type: 'run', projectDir: '/p', runId: 3 })
    win.webContents.emit('did-finish-load')
    vi.advanceTimersByTime(gpuWindowStartTimeoutMs - 1)
    expect(heard).toEqual([])
    expect(exits).toEqual([])
    vi.advanceTimersByTime(1)
    const reason = 'the GPU window did not answer within 60 s'
    expect(heard).toEqual([{ type: 'gpuUnavailable', webgpu: reason, webgl: reason }])
    expect(exits).toEqual([null])
    expect(win.destroyed).toBe(true)
    expect(state.forked).toEqual([])
  })

  it('a window that answered is not timed out', async () => {
    vi.useFakeTimers()
    const { gpuWindowStartTimeoutMs } = await import('../../../src/main/gpuWindowLauncher')
    const { worker, win, heard, exits } = await openJob()
    worker.send({ type: 'run', projectDir: '/p', runId: 3 })
    win.webContents.emit('did-finish-load')
    pageJobs(win).port.postMessage(backend)
    vi.advanceTimersByTime(3 * gpuWindowStartTimeoutMs)
    expect(heard).toEqual([backend])
    expect(exits).toEqual([])
    expect(win.destroyed).toBe(false)
    expect(state.forked[0].killed).toBe(false)
  })

  it('a window that crashes before its host is an exit without a code', async () => {
    const { worker, win, exits } = await openJob()
    worker.send({ type: 'run', projectDir: '/p', runId: 3 })
    win.webContents.emit('render-process-gone', {}, { reason: 'gpu-dead' })
    expect(exits).toEqual([null])
    expect(win.destroyed).toBe(true)
    expect(state.forked).toEqual([])
  })

  it('a window that crashes mid-run leaves the host time to fail the run, then stops it', async () => {
    vi.useFakeTimers()
    const { HOST_GRACE_MS } = await import('../../../src/core/train/gpuWindowWithHost')
    const { worker, win, exits } = await openJob()
    worker.send({ type: 'run', projectDir: '/p', runId: 3 })
    win.webContents.emit('did-finish-load')
    pageJobs(win).port.postMessage(backend)
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed' })
    expect(exits).toEqual([])
    vi.advanceTimersByTime(HOST_GRACE_MS)
    expect(state.forked[0].killed).toBe(true)
    expect(exits).toEqual([null])
  })

  it('kill closes the window, and stops the host if there is one', async () => {
    const before = await openJob()
    before.worker.kill()
    expect(before.win.destroyed).toBe(true)
    expect(before.exits).toEqual([null])
    const during = await openJob()
    during.worker.send({ type: 'run', projectDir: '/p', runId: 3 })
    during.win.webContents.emit('did-finish-load')
    pageJobs(during.win).port.postMessage(backend)
    during.worker.kill()
    expect(during.win.destroyed).toBe(true)
    expect(state.forked[0].killed).toBe(true)
    expect(during.exits).toEqual([null])
  })
})

describe('the GPU training window, its preload', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('passes each port main sends on to the page, named, and exposes nothing else', async () => {
    vi.resetModules()
    resetFakeElectron({ packaged: true, home: '/tmp' })
    const posted: unknown[][] = []
    vi.stubGlobal('postMessage', (...args: unknown[]) => posted.push(args))
    await import('../../../src/preload/gpuWindow')
    expect(state.exposed.size).toBe(0)
    const calls = state.ipcRendererCalls as [string, string, (e: unknown, name: string) => void][]
    expect(calls.map((c) => [c[0], c[1]])).toEqual([['on', gpuWindowChannels.port]])
    const port = { a: 'port' }
    calls[0][2]({ ports: [port] }, gpuWindowPorts.jobs)
    expect(posted).toEqual([[{ s4miPort: gpuWindowPorts.jobs }, '*', [port]]])
  })
})

describe('the GPU training window, its page', () => {
  const ports: MessagePort[] = []
  afterEach(() => ports.splice(0).forEach((p) => p.close()))

  /** The answer on the page's jobs port, given once the page has run. */
  function answer(page: ReturnType<typeof runPage>): Promise<unknown> {
    const { port1, port2 } = new MessageChannel()
    ports.push(port1, port2)
    const heard = new Promise((resolve) => port1.once('message', resolve))
    page.givePort(gpuWindowPorts.jobs, port2)
    return heard
  }

  it('hands the job back, with the error, when its training script throws', async () => {
    const page = runPage(gpuWindowPage('throw new Error("boom")'))
    expect(page.errors).toEqual([])
    const reason = 'the GPU window could not load its script: boom'
    expect(await within('answer on the jobs port', answer(page))).toEqual({
      type: 'gpuUnavailable',
      webgpu: reason,
      webgl: reason,
    })
  })

  it('gives the script a port whether it asks before or after the preload passes it on', async () => {
    const { port1, port2 } = new MessageChannel()
    const { port1: late1, port2: late2 } = new MessageChannel()
    ports.push(port1, port2, late1, late2)
    const script = `
      s4miPort('${gpuWindowPorts.trainer}').then((p) => p.postMessage('asked first'))
      setTimeout(() => s4miPort('${gpuWindowPorts.jobs}').then((p) => p.postMessage('asked later')), 10)`
    const page = runPage(gpuWindowPage(script))
    expect(page.errors).toEqual([])
    const first = new Promise((resolve) => port1.once('message', resolve))
    const later = new Promise((resolve) => late1.once('message', resolve))
    page.givePort(gpuWindowPorts.trainer, port2)
    page.givePort(gpuWindowPorts.jobs, late2)
    expect(await within('message on the trainer port', first)).toBe('asked first')
    expect(await within('message on the jobs port', later)).toBe('asked later')
  })

  it("takes ports only from the preload: a message from another window's context is ignored", async () => {
    const { port1, port2 } = new MessageChannel()
    const { port1: foreign1, port2: foreign2 } = new MessageChannel()
    ports.push(port1, port2, foreign1, foreign2)
    const page = runPage(
      gpuWindowPage(`s4miPort('${gpuWindowPorts.trainer}').then((p) => p.postMessage('hi'))`),
    )
    const foreign: unknown[] = []
    foreign1.on('message', (m) => foreign.push(m))
    page.dispatch({ source: {}, data: { s4miPort: gpuWindowPorts.trainer }, ports: [foreign2] })
    page.dispatch({ source: null, data: { s4miPort: gpuWindowPorts.trainer }, ports: [foreign2] })
    const heard = new Promise((resolve) => port1.once('message', resolve))
    page.givePort(gpuWindowPorts.trainer, port2)
    expect(await within('message on the trainer port', heard)).toBe('hi')
    await new Promise((r) => setTimeout(r, 20))
    expect(foreign).toEqual([])
  })
})
