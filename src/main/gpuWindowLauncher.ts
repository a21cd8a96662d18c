import path from 'node:path'
import { BrowserWindow, MessageChannelMain, session, utilityProcess, type MessagePortMain } from 'electron'
import { gpuWindowWithHost, type GpuWindowChannel, type HostChannel } from '../core/train/gpuWindowWithHost'
import type { WorkerLauncher } from '../core/train/workerLauncher'
import type { FromWorker, ToWorker } from '../core/train/workerProtocol'
import { gpuWindowChannels, gpuWindowEntry, gpuWindowPorts } from '../shared/gpuWindowChannels'
import { secureWebPreferences } from './security'

/**
 * The GPU training window's settings: the app window's (sandboxed, isolated, no Node), plus what a hidden
 * training window needs. It opens no project and no file: a worker process hosts the run and the window only
 * trains (gpuWindowWithHost), reached by MessagePorts its preload passes on. It loads only our own page from
 * the app's files, may not navigate or open windows (navigationGuard), and is granted no permission.
 */
export const gpuWindowPreferences = {
  ...secureWebPreferences,
  preload: path.join(__dirname, '../preload/gpuWindow.js'),
  // Hidden windows are throttled by default; training must not be.
  backgroundThrottling: false,
  devTools: false,
  spellcheck: false,
  // In memory, apart from the app's session: nothing it does is kept, and it has no permission handler to share.
  partition: 'gpu-training',
} as const

/** A window's page and script start in about a second; one that has not answered by then never will. */
export const gpuWindowStartTimeoutMs = 60_000

let prepared = false
/** Once per app: the GPU windows' session answers any permission request with no. */
function prepare(): void {
  if (prepared) return
  prepared = true
  const partition = session.fromPartition(gpuWindowPreferences.partition)
  partition.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  partition.setPermissionCheckHandler(() => false)
}

/** S4MI_BACKEND=webgpu or webgl: the window tries that one alone, as a forced backend does elsewhere. */
function forcedGpu(): Pick<ToWorker & { type: 'run' }, 'forcedGpu'> {
  const b = process.env.S4MI_BACKEND
  return b === 'webgpu' || b === 'webgl' ? { forcedGpu: b } : {}
}

/** One hidden, sandboxed window per job: its GPU memory ends with it. */
function openWindow(): GpuWindowChannel {
  prepare()
  const win = new BrowserWindow({
    show: false,
    width: 320,
    height: 240,
    title: 'S4MI training (GPU)',
    webPreferences: gpuWindowPreferences,
  })
  const jobs = new MessageChannelMain()
  const messageListeners: ((m: FromWorker) => void)[] = []
  const exitListeners: ((code: number | null) => void)[] = []
  let ended = false
  const end = (code: number | null) => {
    if (ended) return
    ended = true
    clearTimeout(notStarted)
    jobs.port1.close()
    if (!win.isDestroyed()) win.destroy()
    for (const l of exitListeners) l(code)
  }
  const notStarted = setTimeout(() => {
    const reason = `the GPU window did not answer within ${gpuWindowStartTimeoutMs / 1000} s`
    messageListeners.forEach((l) => l({ type: 'gpuUnavailable', webgpu: reason, webgl: reason }))
    end(null)
  }, gpuWindowStartTimeoutMs)
  jobs.port1.on('message', (ev) => {
    clearTimeout(notStarted)
    messageListeners.forEach((l) => l(ev.data as FromWorker))
  })
  jobs.port1.start()
  const sendPort = (name: string, port: MessagePortMain) =>
    win.webContents.postMessage(gpuWindowChannels.port, name, [port])
  win.webContents.on('render-process-gone', () => end(null))
  win.on('closed', () => end(null))
  // Messages wait in the port until the page listens; the page gets its port once it has loaded.
  win.webContents.once('did-finish-load', () => sendPort(gpuWindowPorts.jobs, jobs.port2))
  void win.loadFile(path.join(__dirname, `${gpuWindowEntry}.html`)).catch(() => end(null))
  return {
    send: (m) => {
      if (!ended)
        jobs.port1.postMessage(m.type === 'run' || m.type === 'probe' ? { ...m, ...forcedGpu() } : m)
    },
    onMessage: (l) => void messageListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    kill: () => end(null),
    connectTrainer: (port) => {
      if (!ended) sendPort(gpuWindowPorts.trainer, port as MessagePortMain)
    },
  }
}

/** The run's host: the same worker process as a CPU run's, given the window's port with its 'host' message. */
function startHost(): HostChannel {
  const child = utilityProcess.fork(path.join(__dirname, 'jobWorker.js'), [], {
    serviceName: 'S4MI training (host of a GPU run)',
  })
  return {
    send: (m) => child.postMessage(m),
    sendWithPort: (m, port) => child.postMessage(m, [port as MessagePortMain]),
    onMessage: (l) => child.on('message', (m) => l(m as FromWorker)),
    onExit: (l) => child.once('exit', (code) => l(code)),
    kill: () => {
      child.kill()
    },
  }
}

export const gpuWindowLauncher: WorkerLauncher = gpuWindowWithHost({
  openWindow,
  startHost,
  channel: () => {
    const { port1, port2 } = new MessageChannelMain()
    return [port1, port2]
  },
})
