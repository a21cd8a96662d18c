// The desktop app's GPU training window, against the fake `electron` module (no Electron binary here): the
// launcher in the main process (window settings, its own session, the job protocol over IPC, its end) and the
// window's script (the same job loop as the CPU worker, GPU backends only). In real Chromium the window's
// backend step is tested by tests/gpu; the hand-over to the CPU worker by tests/unit/gpuWindowHandOver.
import path from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { FromWorker } from '../../../src/core/train/workerProtocol'
import { gpuWindowChannels } from '../../../src/main/gpuWindowChannels'
import { resetFakeElectron, state, type FakeWindow } from './fakeElectron'

vi.mock('electron', async () => (await import('./fakeElectron')).fakeElectron)

/** What the window sends the main process, as Electron's ipcMain delivers it. */
function fromWindow(win: FakeWindow, channel: string, ...args: unknown[]) {
  for (const l of state.ipcListeners.get(channel) ?? [])
    (l as (...a: unknown[]) => void)({ sender: win.webContents }, ...args)
}

describe('the GPU training window, main side', () => {
  beforeEach(() => {
    // A fresh main process each time: its IPC listeners are registered once per process.
    vi.resetModules()
    resetFakeElectron({ packaged: true, home: '/tmp' })
  })

  it('opens a hidden window with Node for our own page only, in a session that grants nothing', async () => {
    const { gpuWindowLauncher } = await import('../../../src/main/gpuWindowLauncher')
    gpuWindowLauncher()
    const win = state.windows[0]
    expect(win.options.show).toBe(false)
    expect(win.options.webPreferences).toMatchObject({
      nodeIntegration: true,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      backgroundThrottling: false,
      partition: 'gpu-training',
    })
    // A file beside the main bundle, never a URL.
    expect(win.loadedUrl).toBeNull()
    expect(path.basename(win.loadedFile!)).toBe('gpuTrainingWindow.html')
    const partition = state.partitions.get('gpu-training')!
    expect(partition.permissionCheck?.()).toBe(false)
    let granted: boolean | null = null
    ;(partition.permissionRequest as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(
      null,
      'media',
      (ok) => (granted = ok),
    )
    expect(granted).toBe(false)
  })

  it('queues the job until the window listens, passes the environment first, then speaks the job protocol', async () => {
    const { gpuWindowLauncher } = await import('../../../src/main/gpuWindowLauncher')
    process.env.S4MI_SQLITE_BINDING = '/app/better_sqlite3.node'
    const worker = gpuWindowLauncher()
    const win = state.windows[0]
    const heard: FromWorker[] = []
    const exits: (number | null)[] = []
    worker.onMessage((m) => heard.push(m))
    worker.onExit((c) => exits.push(c))
    worker.send({ type: 'run', projectDir: '/p', runId: 3 })
    expect(win.webContents.sent).toEqual([])
    fromWindow(win, gpuWindowChannels.ready)
    const [environment, run] = win.webContents.sent as [string, unknown][]
    expect(environment[0]).toBe(gpuWindowChannels.environment)
    expect(environment[1]).toMatchObject({ S4MI_SQLITE_BINDING: '/app/better_sqlite3.node' })
    expect(run).toEqual([gpuWindowChannels.job, { type: 'run', projectDir: '/p', runId: 3 }])
    worker.send({ type: 'cancel' })
    expect(win.webContents.sent.at(-1)).toEqual([gpuWindowChannels.job, { type: 'cancel' }])
    // Only this window's messages are this worker's.
    const other = gpuWindowLauncher()
    other.onMessage((m) =>
      heard.push({ ...m, type: 'failed', message: 'from the other window' } as FromWorker),
    )
    fromWindow(win, gpuWindowChannels.job, { type: 'progress', progress: { epoch: 1 } })
    expect(heard).toEqual([{ type: 'progress', progress: { epoch: 1 } }])
    fromWindow(win, gpuWindowChannels.exit, 0)
    expect(win.destroyed).toBe(true)
    // Once: the window's 'closed' after destroy() is not a second exit.
    expect(exits).toEqual([0])
    worker.send({ type: 'cancel' })
    expect(win.webContents.sent.at(-1)).toEqual([gpuWindowChannels.job, { type: 'cancel' }])
    expect(win.webContents.sent).toHaveLength(3)
  })

  it('a window that never asks for its job hands it back after the start timeout', async () => {
    vi.useFakeTimers()
    try {
      const { gpuWindowLauncher, gpuWindowStartTimeoutMs } =
        await import('../../../src/main/gpuWindowLauncher')
      const worker = gpuWindowLauncher()
      const heard: FromWorker[] = []
      const exits: (number | null)[] = []
      worker.onMessage((m) => heard.push(m))
      worker.onExit((c) => exits.push(c))
      vi.advanceTimersByTime(gpuWindowStartTimeoutMs - 1)
      expect(heard).toEqual([])
      vi.advanceTimersByTime(1)
      expect(heard).toEqual([
        {
          type: 'gpuUnavailable',
          webgpu: 'the GPU window did not start within 60 s',
          webgl: 'the GPU window did not start within 60 s',
        },
      ])
      expect(exits).toEqual([null])
      expect(state.windows[0].destroyed).toBe(true)
      // A window that did start is not timed out.
      const started = gpuWindowLauncher()
      const startedExits: (number | null)[] = []
      started.onExit((c) => startedExits.push(c))
      fromWindow(state.windows[1], gpuWindowChannels.ready)
      vi.advanceTimersByTime(2 * gpuWindowStartTimeoutMs)
      expect(startedExits).toEqual([])
    } finally {
      vi.useRealTimers()
    }
  })

  it('a crashed window is an exit without a code; kill closes the window', async () => {
    const { gpuWindowLauncher } = await import('../../../src/main/gpuWindowLauncher')
    const crashed = gpuWindowLauncher()
    const exits: (number | null)[] = []
    crashed.onExit((c) => exits.push(c))
    state.windows[0].webContents.emit('render-process-gone', {}, { reason: 'gpu-dead' })
    expect(exits).toEqual([null])
    const killed = gpuWindowLauncher()
    killed.onExit((c) => exits.push(c))
    killed.kill()
    expect(state.windows[1].destroyed).toBe(true)
    expect(exits).toEqual([null, null])
  })
})

describe('the GPU training window, its script', () => {
  it('asks for its job, takes the environment, and hands a job back when no GPU backend starts', async () => {
    vi.resetModules()
    resetFakeElectron({ packaged: true, home: '/tmp' })
    await import('../../../src/main/gpuTrainingWindow')
    const calls = state.ipcRendererCalls as [string, string, unknown?][]
    expect(calls.filter((c) => c[0] === 'send')).toEqual([['send', gpuWindowChannels.ready]])
    const listener = (channel: string) =>
      calls.find((c) => c[0] === 'on' && c[1] === channel)![2] as (e: unknown, m: unknown) => void
    listener(gpuWindowChannels.environment)({}, { S4MI_WINDOW_TEST: 'passed' })
    expect(process.env.S4MI_WINDOW_TEST).toBe('passed')
    // Node is not Chromium: WebGPU and WebGL2 fail with the reasons main sent, and the job goes back.
    listener(gpuWindowChannels.job)({}, { type: 'probe', threads: 1, gpu: { webgpu: 'A', webgl: 'B' } })
    await vi.waitFor(() => expect(calls.filter((c) => c[0] === 'send')).toHaveLength(3), { timeout: 30_000 })
    const sent = calls.filter((c) => c[0] === 'send').slice(1)
    expect(sent[0]).toEqual([
      'send',
      gpuWindowChannels.job,
      { type: 'gpuUnavailable', webgpu: 'A', webgl: 'B' },
    ])
    expect(sent[1]).toEqual(['send', gpuWindowChannels.exit, 0])
  }, 60_000)
})
