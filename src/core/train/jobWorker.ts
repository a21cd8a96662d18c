import { serveTrainingJobs, type JobPort } from './serveTrainingJobs'
import type { ToWorker } from './workerProtocol'

/**
 * The training worker process (Electron utilityProcess or a Node child process). It owns the tfjs
 * backend for its lifetime — tfjs-node cannot live in a second worker thread — and runs one run.
 */
function parentPort(): JobPort {
  // Electron's utilityProcess exposes process.parentPort; a forked Node child uses process.send.
  const electronPort = (
    process as unknown as {
      parentPort?: { postMessage(m: unknown): void; on(e: string, l: (ev: { data: unknown }) => void): void }
    }
  ).parentPort
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      onMessage: (l) => electronPort.on('message', (ev) => l(ev.data as ToWorker)),
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
})
