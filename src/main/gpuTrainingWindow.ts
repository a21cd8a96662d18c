// The script of the hidden GPU training window: the same job loop as the CPU worker process, on tfjs's WebGPU
// or WebGL2 backend. It has Node (files, the project's sqlite, checkpoints) because it runs only our own
// bundle from the app's files, and it never loads anything else (see gpuWindowLauncher).
import { ipcRenderer } from 'electron'
import { serveTrainingJobs } from '../core/train/serveTrainingJobs'
import type { ToWorker } from '../core/train/workerProtocol'
import { gpuWindowChannels } from './gpuWindowChannels'

ipcRenderer.on(gpuWindowChannels.environment, (_e, environment: Record<string, string>) => {
  Object.assign(process.env, environment)
})
serveTrainingJobs(
  {
    post: (m) => ipcRenderer.send(gpuWindowChannels.job, m),
    onMessage: (l) => ipcRenderer.on(gpuWindowChannels.job, (_e, m: ToWorker) => l(m)),
  },
  {
    gpuOnly: true,
    // No peak memory: the renderer's resident set says nothing about what the GPU held.
    exit: (code) => ipcRenderer.send(gpuWindowChannels.exit, code),
  },
)
ipcRenderer.send(gpuWindowChannels.ready)
