import { serveTrainingJobs, type JobPort } from './serveTrainingJobs'
import type { HostToTrainer, MessageEnd, TrainerToHost } from './trainerMessages'
import type { ToWorker } from './workerProtocol'

/** Electron's MessagePortMain, as a utility process receives it with a 'host' message. */
interface ElectronPort {
  postMessage(m: unknown): void
  on(e: 'message', l: (ev: { data: unknown }) => void): void
  on(e: 'close', l: () => void): void
  start(): void
}

/** The channel to the GPU window's trainer, over the port Electron handed this process. */
function trainerEnd(port: unknown): MessageEnd<TrainerToHost, HostToTrainer> {
  const p = port as ElectronPort
  return {
    post: (m) => p.postMessage(m),
    onMessage: (l) => {
      p.on('message', (ev) => l(ev.data as TrainerToHost))
      p.start()
    },
    onClose: (l) => p.on('close', l),
  }
}

/**
 * The training worker process (Electron utilityProcess or a Node child process). It owns the tfjs
 * backend for its lifetime — tfjs-node cannot live in a second worker thread — and runs one run.
 */
function parentPort(): JobPort {
  // Electron's utilityProcess exposes process.parentPort; a forked Node child uses process.send.
  const electronPort = (
    process as unknown as {
      parentPort?: {
        postMessage(m: unknown): void
        on(e: string, l: (ev: { data: unknown; ports?: unknown[] }) => void): void
      }
    }
  ).parentPort
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      onMessage: (l) => electronPort.on('message', (ev) => l(ev.data as ToWorker, ev.ports)),
    }
  }
  if (!process.send) throw new Error('jobWorker must be started as a child process with an IPC channel')
  // If the app dies, the worker must not train on as an orphan: the run stays 'running' and resumes later.
  process.on('disconnect', () => process.exit(1))
  return { post: (m) => process.send!(m), onMessage: (l) => process.on('message', (m) => l(m as ToWorker)) }
}

serveTrainingJobs(parentPort(), {
  exit: (code) => process.exit(code),
  // maxRSS is in kilobytes.
  peakMemoryBytes: () => process.resourceUsage().maxRSS * 1024,
  trainerEnd,
})
