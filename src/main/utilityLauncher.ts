import path from 'node:path'
import { utilityProcess } from 'electron'
import type { WorkerLauncher } from '../core/train/workerLauncher'
import type { FromWorker } from '../core/train/workerProtocol'

/** In the desktop app a training run lives in an Electron utility process, never in main or the window. */
export const utilityLauncher: WorkerLauncher = () => {
  const child = utilityProcess.fork(path.join(__dirname, 'jobWorker.js'), [], {
    serviceName: 'S4MI training',
  })
  return {
    send: (m) => child.postMessage(m),
    onMessage: (l) => child.on('message', (m) => l(m as FromWorker)),
    onExit: (l) => child.once('exit', (code) => l(code)),
    kill: () => {
      child.kill()
    },
  }
}
