import { windowGpuReport } from '../../shared/gpuAdapters'
import type { WorkerChannel, WorkerLauncher } from './workerLauncher'
import type { FromWorker, ToWorker } from './workerProtocol'

/**
 * The desktop app's launcher: with a hardware GPU adapter, a job starts in the GPU training window; when that
 * window cannot train (no WebGPU or WebGL2 adapter it will use, or it closes before it has chosen a backend),
 * the same job goes to the CPU worker with the window's reasons, and the caller sees one worker either way.
 */
export function gpuFirstLauncher(
  gpuWindow: WorkerLauncher,
  cpuWorker: WorkerLauncher,
  /** Whether Chromium reports a hardware adapter (asked at each launch: the report arrives after start). */
  hardwareGpu: () => boolean,
): WorkerLauncher {
  return () => {
    if (!hardwareGpu()) return cpuWorker()
    const messageListeners: ((m: FromWorker) => void)[] = []
    const exitListeners: ((code: number | null) => void)[] = []
    const sent: ToWorker[] = []
    let killed = false
    /** The window has chosen its backend: from here on it is the worker. */
    let committed = false
    let active: WorkerChannel

    const handOver = (reasons: { webgpu?: string; webgl?: string }) => {
      const windowChannel = active
      active = cpuWorker()
      follow(active, false)
      const gpu = windowGpuReport(reasons)
      for (const m of sent) active.send(m.type === 'run' || m.type === 'probe' ? { ...m, gpu } : m)
      windowChannel.kill()
    }
    const follow = (channel: WorkerChannel, isWindow: boolean) => {
      channel.onMessage((m) => {
        if (channel !== active) return
        if (m.type === 'gpuUnavailable') {
          if (!killed) handOver(m)
          return
        }
        if (m.type === 'backend') committed = true
        for (const l of messageListeners) l(m)
      })
      channel.onExit((code) => {
        if (channel !== active) return
        if (isWindow && !committed && !killed) {
          handOver({
            webgpu: `the window closed (exit ${code}) before it chose a backend`,
            webgl: `the window closed (exit ${code}) before it chose a backend`,
          })
          return
        }
        for (const l of exitListeners) l(code)
      })
    }
    active = gpuWindow()
    follow(active, true)
    return {
      send: (m) => {
        sent.push(m)
        active.send(m)
      },
      onMessage: (l) => void messageListeners.push(l),
      onExit: (l) => void exitListeners.push(l),
      kill: () => {
        killed = true
        active.kill()
      },
    }
  }
}
