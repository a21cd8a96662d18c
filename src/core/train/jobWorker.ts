import { selectBackend, type BackendInfo } from '../engine/backend/selectBackend'
import { executeRun } from './executeRun'
import type { FromWorker, ToWorker } from './workerProtocol'

/**
 * The training worker process (Electron utilityProcess or a Node child process). It owns the tfjs
 * backend for its lifetime — tfjs-node cannot live in a second worker thread — and runs one run.
 */
type Port = { post(m: FromWorker): void; onMessage(l: (m: ToWorker) => void): void }

function parentPort(): Port {
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

function reportOf(b: BackendInfo) {
  return {
    name: b.name,
    device: b.device,
    warning: b.warning ?? null,
    accelerated: b.accelerated,
    slowFallback: b.slowFallback,
    threads: b.threads,
    skipped: b.skipped,
  }
}

const port = parentPort()
const controller = new AbortController()

port.onMessage((m) => {
  if (m.type === 'cancel') controller.abort()
  if (m.type === 'probe') {
    void selectBackend({ threads: m.threads, gpu: m.gpu })
      .then((b) => port.post({ type: 'backend', ...reportOf(b) }))
      .catch((e: unknown) =>
        port.post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => setTimeout(() => process.exit(0), 50))
    return
  }
  if (m.type !== 'run') return
  void (async () => {
    try {
      const backend = await selectBackend({ threads: m.threads, gpu: m.gpu })
      const report = reportOf(backend)
      port.post({ type: 'backend', ...report })
      const metrics = await executeRun(m.projectDir, m.runId, {
        post: port.post,
        signal: controller.signal,
        backend: report,
      })
      // maxRSS is in kilobytes.
      port.post({ type: 'done', metrics, peakMemoryBytes: process.resourceUsage().maxRSS * 1024 })
    } catch (e) {
      if (controller.signal.aborted) port.post({ type: 'cancelled' })
      else port.post({ type: 'failed', message: e instanceof Error ? e.message : String(e) })
    } finally {
      // Give the last message time to cross the channel, then end: one process per run keeps memory honest.
      setTimeout(() => process.exit(0), 50)
    }
  })()
})
