import { cpuChoices, selectBackend } from '../engine/backend/selectBackend'
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

/** Where a worker's messages come from and go to: its process's IPC channel. */
export interface JobPort {
  post(m: FromWorker): void
  /** `ports`: message ports sent with the message (a 'host' message's channel to the GPU window). */
  onMessage(l: (m: ToWorker, ports?: readonly unknown[]) => void): void
}

export interface JobServiceOptions {
  /** Ends the worker (process.exit) once its last message has been posted. */
  exit(code: number): void
  /** The worker's peak memory in bytes, when its host can say (a process: maxRSS). */
  peakMemoryBytes?(): number | undefined
  /** A port that came with a 'host' message as a channel to the GPU window's trainer (Electron's ports). */
  trainerEnd?(port: unknown): MessageEnd<TrainerToHost, HostToTrainer>
}

/**
 * One training worker's life: answer a backend probe, or run one run (progress, cancel, checkpoints, resume
 * are executeRun's), or host a run the GPU training window trains (gpuWindowTrainer.ts is the window's
 * side), then end. A method never knows where it runs.
 */
export function serveTrainingJobs(port: JobPort, options: JobServiceOptions): void {
  const controller = new AbortController()
  // Give the last message time to cross the channel, then end: one worker per run keeps memory honest.
  const end = () => setTimeout(() => options.exit(0), 50)
  const backendFor = (hardware: WorkerHardware) =>
    selectBackend({ threads: hardware.threads, gpu: hardware.gpu })

  port.onMessage((m, ports) => {
    if (m.type === 'cancel') controller.abort()
    if (m.type === 'probe') {
      void backendFor(m)
        .then((b) => port.post(backendMessage(b)))
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
          const window = ports?.[0] != null ? options.trainerEnd?.(ports[0]) : undefined
          if (!window) throw new Error('A run to host came without its channel to the GPU window')
          trainer = trainerApart(window)
          // The window trains and predicts; this process reads images and, only if the window cannot
          // predict, predicts them from the run's checkpoint: on a CPU backend. A GPU backend the user forced
          // (S4MI_BACKEND) is the window's choice, not this process's.
          const forced = process.env.S4MI_BACKEND
          await selectBackend({
            threads: m.threads,
            chain: cpuChoices,
            ...(forced === 'webgpu' || forced === 'webgl'
              ? { env: { ...process.env, S4MI_BACKEND: '' } }
              : {}),
          })
          report = m.backend
        } else {
          const message = backendMessage(await backendFor(m))
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
