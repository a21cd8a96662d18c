import path from 'node:path'
import { BrowserWindow, ipcMain, session, type IpcMainEvent } from 'electron'
import type { WorkerLauncher } from '../core/train/workerLauncher'
import type { FromWorker, ToWorker } from '../core/train/workerProtocol'
import { gpuWindowChannels, gpuWindowEntry } from './gpuWindowChannels'
import { secureWebPreferences } from './security'

/**
 * The GPU training window's settings. Unlike the app's window it has Node and no sandbox: it runs the training
 * code itself (project database, checkpoints), as the utility process does. What makes that safe is what it
 * loads — only our own page from the app's files, never a URL, never remote content — and what it may not do:
 * navigate, open windows, attach webviews (navigationGuard), or be granted any permission (its own session).
 */
export const gpuWindowPreferences = {
  ...secureWebPreferences,
  // What the app's window forbids and this one needs: Node in the page, so no isolation and no sandbox.
  nodeIntegration: true,
  contextIsolation: false,
  sandbox: false,
  // Hidden windows are throttled by default; training must not be.
  backgroundThrottling: false,
  devTools: false,
  spellcheck: false,
  // In memory, apart from the app's session: nothing it does is kept, and it has no permission handler to share.
  partition: 'gpu-training',
} as const

/** The variables a utility process would inherit and the window must be given (its env is not main's). */
const passedEnvironment = [
  'S4MI_HOME',
  'S4MI_SQLITE_BINDING',
  'S4MI_WASM_DIR',
  'S4MI_THREADS',
  'S4MI_GPU_MEMORY_GB',
]

type WindowListener = {
  ready(): void
  message(m: FromWorker): void
  exit(code: number): void
}
/** Every GPU window's listener, by its web contents' id: one set of IPC handlers for all of them. */
const windows = new Map<number, WindowListener>()
let prepared = false

/** Once per app: the IPC handlers of every GPU window, and their session's answer to any permission: no. */
function prepare(): void {
  if (prepared) return
  prepared = true
  const partition = session.fromPartition(gpuWindowPreferences.partition)
  partition.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  partition.setPermissionCheckHandler(() => false)
  const route = (event: IpcMainEvent) => windows.get(event.sender.id)
  ipcMain.on(gpuWindowChannels.ready, (e) => route(e)?.ready())
  ipcMain.on(gpuWindowChannels.job, (e, m: FromWorker) => route(e)?.message(m))
  ipcMain.on(gpuWindowChannels.exit, (e, code: number) => route(e)?.exit(code))
}

/** A window's page and script start in about a second; one that has not asked for its job by then never will. */
export const gpuWindowStartTimeoutMs = 60_000

/** One hidden window per job, as one utility process per job: its GPU memory ends with it. */
export const gpuWindowLauncher: WorkerLauncher = () => {
  prepare()
  const win = new BrowserWindow({
    show: false,
    width: 320,
    height: 240,
    title: 'S4MI training (GPU)',
    webPreferences: gpuWindowPreferences,
  })
  const id = win.webContents.id
  const messageListeners: ((m: FromWorker) => void)[] = []
  const exitListeners: ((code: number | null) => void)[] = []
  let queue: ToWorker[] | null = []
  let ended = false
  const notStarted = setTimeout(() => {
    const reason = `the GPU window did not start within ${gpuWindowStartTimeoutMs / 1000} s`
    messageListeners.forEach((l) => l({ type: 'gpuUnavailable', webgpu: reason, webgl: reason }))
    end(null)
  }, gpuWindowStartTimeoutMs)
  const end = (code: number | null) => {
    if (ended) return
    ended = true
    clearTimeout(notStarted)
    windows.delete(id)
    if (!win.isDestroyed()) win.destroy()
    for (const l of exitListeners) l(code)
  }
  windows.set(id, {
    ready: () => {
      clearTimeout(notStarted)
      const environment = Object.fromEntries(
        passedEnvironment.flatMap((k) => (process.env[k] != null ? [[k, process.env[k]]] : [])),
      )
      win.webContents.send(gpuWindowChannels.environment, environment)
      for (const m of queue ?? []) win.webContents.send(gpuWindowChannels.job, m)
      queue = null
    },
    message: (m) => messageListeners.forEach((l) => l(m)),
    exit: (code) => end(code),
  })
  win.webContents.on('render-process-gone', () => end(null))
  win.on('closed', () => end(null))
  void win.loadFile(path.join(__dirname, `${gpuWindowEntry}.html`)).catch(() => end(null))
  return {
    send: (m) => {
      if (ended) return
      if (queue) queue.push(m)
      else win.webContents.send(gpuWindowChannels.job, m)
    },
    onMessage: (l) => void messageListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    kill: () => end(null),
  }
}
