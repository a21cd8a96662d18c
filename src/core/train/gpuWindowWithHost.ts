import type { WorkerChannel, WorkerLauncher } from './workerLauncher'
import type { FromWorker, ToWorker, WorkerHardware } from './workerProtocol'

/** The sandboxed GPU window as the app opens it: its job channel, and how to hand it its trainer's port. */
export interface GpuWindowChannel extends WorkerChannel {
  connectTrainer(port: unknown): void
}

/** A worker process that can be sent a port with a message (Electron's utility process). */
export interface HostChannel extends WorkerChannel {
  sendWithPort(message: ToWorker, port: unknown): void
}

/** What the desktop app provides: the window, a worker process, and a two-ended message channel. */
export interface GpuWindowParts {
  openWindow(): GpuWindowChannel
  startHost(): HostChannel
  channel(): [unknown, unknown]
}

/** After the window ends mid-run, how long the host has to notice (its port closes) before it is stopped. */
export const HOST_GRACE_MS = 5_000

/**
 * One GPU job as one worker (what gpuFirstLauncher expects): the sandboxed window answers a probe or a run
 * with its backend (or 'gpuUnavailable'); for a run, a worker process then hosts it (project, images,
 * checkpoints, results) and the window trains, the two joined by their own channel so batches never pass
 * through the app's main process. The job's messages (progress, done, failed) come from the host; the job
 * ends when the host does, and the window is closed with it.
 */
export function gpuWindowWithHost(parts: GpuWindowParts): WorkerLauncher {
  return () => {
    const messageListeners: ((m: FromWorker) => void)[] = []
    const exitListeners: ((code: number | null) => void)[] = []
    const window = parts.openWindow()
    let run: (ToWorker & { type: 'run' }) | null = null
    let host: HostChannel | null = null
    let ended = false
    let cancelled = false
    const end = (code: number | null) => {
      if (ended) return
      ended = true
      window.kill()
      host?.kill()
      for (const l of exitListeners) l(code)
    }
    const emit = (m: FromWorker) => messageListeners.forEach((l) => l(m))

    const startHost = (r: ToWorker & { type: 'run' }, backend: FromWorker & { type: 'backend' }) => {
      const [windowPort, hostPort] = parts.channel()
      const h = parts.startHost()
      host = h
      h.onMessage(emit)
      h.onExit((code) => end(code))
      const hardware: WorkerHardware = r.threads != null ? { threads: r.threads } : {}
      h.sendWithPort(
        {
          type: 'host',
          projectDir: r.projectDir,
          runId: r.runId,
          backend: {
            name: backend.name,
            device: backend.device,
            warning: backend.warning,
            skipped: backend.skipped,
          },
          ...hardware,
        },
        hostPort,
      )
      window.connectTrainer(windowPort)
      if (cancelled) h.send({ type: 'cancel' })
    }

    window.onMessage((m) => {
      if (ended) return
      emit(m)
      if (m.type !== 'backend') return
      if (run) startHost(run, m)
      // A probe is answered: the window has nothing more to do.
      else end(0)
    })
    window.onExit((code) => {
      if (ended) return
      // Before a host there is no job yet: the launcher above decides (hands it to the CPU worker).
      if (!host) return end(code)
      // Mid-run: the host's channel to the window closes and it fails the run itself; give it the time.
      const h = host
      setTimeout(() => {
        if (!ended) {
          h.kill()
          end(null)
        }
      }, HOST_GRACE_MS)
    })
    return {
      send: (m) => {
        if (ended) return
        if (m.type === 'run') run = m
        if (m.type === 'cancel') {
          // Before the host starts, it is told as soon as it does: the run then ends as cancelled.
          cancelled = true
          host?.send(m)
          return
        }
        window.send(m)
      },
      onMessage: (l) => void messageListeners.push(l),
      onExit: (l) => void exitListeners.push(l),
      kill: () => end(null),
    }
  }
}
