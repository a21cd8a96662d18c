import { NODE_GPU_IN_DESKTOP_APP, NoBackendError } from '../engine/backend/backendInfo'
import { selectGpuBackend } from '../engine/backend/gpuBackend'
import type { Task } from '../methods/catalogueEntry'
import type { Method } from '../methods/method'
import { trainableMethod } from '../methods/trainableMethods'
import { serveTrainer } from './runTrainer'
import type { HostToTrainer, MessageEnd, TrainerToHost } from './trainerMessages'
import { backendMessage, type FromWorker, type ToWorker } from './workerProtocol'

/**
 * The sandboxed GPU training window's job (it has no Node: no files, no project): asked to probe or to run,
 * it starts WebGPU, else WebGL2, and answers with the backend it chose or with 'gpuUnavailable' and the reason
 * for each, so the app hands the job to the CPU worker. For a run, the app then starts the run's host (a
 * worker process with the project) and connects it to this window; the window trains what the host gives it.
 */
export function serveGpuWindow(
  jobs: { post(m: FromWorker): void; onMessage(l: (m: ToWorker) => void): void },
  /** The channel to the run's host, once the app has started it (after the 'backend' answer). */
  host: () => Promise<MessageEnd<HostToTrainer, TrainerToHost>>,
  methodFor: (task: Task, id: string) => Method<unknown> = trainableMethod,
  /** The window's part of the chain (tests outside Chromium give their own). */
  chooseBackend: typeof selectGpuBackend = selectGpuBackend,
): void {
  jobs.onMessage((m) => {
    if (m.type !== 'probe' && m.type !== 'run') return
    void (async () => {
      try {
        const b = await chooseBackend({
          ...(m.forcedGpu ? { forced: m.forcedGpu } : {}),
          skipped: [`node-gpu: ${NODE_GPU_IN_DESKTOP_APP}`],
        })
        jobs.post(backendMessage(b))
      } catch (e) {
        const reasons = e instanceof NoBackendError ? e.reasons : {}
        const other = e instanceof Error ? e.message : String(e)
        jobs.post({
          type: 'gpuUnavailable',
          webgpu: reasons.webgpu ?? other,
          webgl: reasons.webgl ?? other,
        })
        return
      }
      if (m.type === 'run') serveTrainer(await host(), methodFor)
    })()
  })
}
