import type { BackendStatus } from '../../shared/api'
import type { WorkerLauncher } from './workerLauncher'
import type { WorkerHardware } from './workerProtocol'

/**
 * Asks a short-lived worker which backend training will get. The probe runs where training runs, so the
 * answer is the truth for training, and the app's own process never loads libtensorflow.
 */
export function probeBackend(
  launch: WorkerLauncher,
  timeoutMs = 120_000,
  hardware: WorkerHardware = {},
): Promise<BackendStatus> {
  return new Promise((resolve, reject) => {
    const worker = launch()
    const timer = setTimeout(() => {
      worker.kill()
      reject(new Error(`The backend probe did not answer within ${timeoutMs / 1000} s`))
    }, timeoutMs)
    worker.onMessage((m) => {
      if (m.type === 'backend') {
        clearTimeout(timer)
        resolve({
          name: m.name,
          device: m.device,
          accelerated: m.accelerated,
          slowFallback: m.slowFallback,
          warning: m.warning,
          threads: m.threads,
          skipped: m.skipped,
        })
      } else if (m.type === 'failed') {
        clearTimeout(timer)
        reject(new Error(m.message))
      }
    })
    worker.onExit((code) => {
      clearTimeout(timer)
      reject(new Error(`The backend probe exited with code ${code} before answering`))
    })
    worker.send({ type: 'probe', ...hardware })
  })
}
