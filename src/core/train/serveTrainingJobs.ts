import { NoBackendError, cpuChoices, gpuChoices, selectBackend } from '../engine/backend/selectBackend'
import { executeRun } from './executeRun'
import { trainerApart, type Trainer } from './trainer'
import type { HostToTrainer, MessageEnd, TrainerToHost } from './trainerMessages'
import {
  backendMessage,
  type BackendReport,
  type FromWorker,
  type ToWorker,
  type WorkerHardware,
} from './workerProtocol'

/** Where a worker's messages come from and go to: a process's IPC channel, or the GPU window's IPC. */
export interface JobPort {
  post(m: FromWorker): void
  /** `ports`: message ports sent with the message (a 'host' message's channel to the GPU window). */
  onMessage(l: (m: ToWorker, ports?: readonly unknown[]) => void): void
}

export interface JobServiceOptions {
  /** Ends the worker (process.exit, or closing the GPU window) once its last message has been posted. */
  exit(code: number): void
  /**
   * The GPU training window: only tfjs-node-gpu, WebGPU and WebGL2 are tried. When none starts, the job is
   * answered with 'gpuUnavailable' (and the reasons) for the app to hand to the CPU worker.
   */
  gpuOnly?: boolean
  /** The worker's peak memory in bytes, when its host can say (a process: maxRSS). */
  peakMemoryBytes?(): number | undefined
  /** A port that came with a 'host' message as a channel to the GPU window's trainer (Electron's ports). */
  trainerEnd?(port: unknown): MessageEnd<TrainerToHost, HostToTrainer>
}

/**
 * One training worker's life: answer a backend probe, or run one run (progress, cancel, checkpoints, resume
 * are executeRun's), then end. The same loop serves the CPU worker process and the GPU training window, so a
 * method never knows where it runs.
 */
export function serveTrainingJobs(port: JobPort, options: JobServiceOptions): void {
  const controller = new AbortController()
  // Give the last message time to cross the channel, then end: one worker per run keeps memory honest.
  const end = () => setTimeout(() => options.exit(0), 50)
  /** The backend, or null when the GPU window has none (it has then said so, with reasons). */
  const backendFor = async (hardware: WorkerHardware) => {
    try {
      return await selectBackend({
        threads: hardware.threads,
        gpu: hardware.gpu,
        ...(options.gpuOnly ? { chain: gpuChoices } : {}),
      })
    } catch (e) {
      if (!options.gpuOnly || !(e instanceof NoBackendError)) throw e
      port.post({
        type: 'gpuUnavailable',
        webgpu: e.reasons.webgpu ?? 'not tried',
        webgl: e.reasons.webgl ?? 'not tried',
      })
      return null
    }
  }

  port.onMessage((m, ports) => {
    if (m.type === 'cancel') controller.abort()
    if (m.type === 'probe') {
      void backendFor(m)
        .then((b) => b && port.post(backendMessage(b)))
        .catch((e: unknown) =>
          port.post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
        )
        .finally(end)
      return
    }
    if (m.type !== 'run' && m.type !== 'host') return
    void (async () => {
      try {
        let report: BackendReport
        let trainer: Trainer | undefined
        if (m.type === 'host') {
          const end = ports?.[0] != null ? options.trainerEnd?.(ports[0]) : undefined
          if (!end) throw new Error('A run to host came without its channel to the GPU window')
          trainer = trainerApart(end)
          // The window trains; this process reads images and, after training, predicts the project's
          // images from the run's checkpoint: on a CPU backend.
          await selectBackend({ threads: m.threads, chain: cpuChoices })
          report = m.backend
        } else {
          const backend = await backendFor(m)
          if (!backend) return
          const message = backendMessage(backend)
          report = message
          port.post(message)
        }
        const metrics = await executeRun(m.projectDir, m.runId, {
          post: port.post,
          signal: controller.signal,
          backend: report,
          ...(trainer ? { trainer } : {}),
        })
        const peak = options.peakMemoryBytes?.()
        port.post({ type: 'done', metrics, ...(peak != null ? { peakMemoryBytes: peak } : {}) })
      } catch (e) {
        if (controller.signal.aborted) port.post({ type: 'cancelled' })
        else port.post({ type: 'failed', message: e instanceof Error ? e.message : String(e) })
      } finally {
        end()
      }
    })()
  })
}
