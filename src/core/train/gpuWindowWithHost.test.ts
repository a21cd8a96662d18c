import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NoBackendError } from '../engine/backend/backendInfo'
import type { selectGpuBackend } from '../engine/backend/gpuBackend'
import { createDemoProject } from '../demo/createDemoProject'
import { findMethod } from '../methods/catalogue'
import { closeProject, type Project } from '../store/project'
import { getRun } from '../store/runs'
import { gpuWindowWithHost, type GpuWindowChannel, type HostChannel } from './gpuWindowWithHost'
import { serveGpuWindow } from './gpuWindowTrainer'
import { inProcessHost } from './fixtures/inProcessHost'
import type { HostToTrainer, MessageEnd, TrainerToHost } from './trainerMessages'
import { createSeedRun } from './trainingJobs'
import type { FromWorker, ToWorker } from './workerProtocol'

/**
 * The GPU window's job as the desktop app runs it, with everything but Electron real: the window's own loop
 * (serveGpuWindow: the backend answer, then the trainer) with a stand-in for Chromium's WebGPU, the host's
 * worker loop (serveTrainingJobs with the project), and MessagePorts between them. What gpuFirstLauncher and
 * the job runner see is one worker: its backend, progress, and the run's end.
 */

let dir: string
let project: Project
const ports: MessagePort[] = []

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-gpu-window-host-'))
  project = (await createDemoProject(path.join(dir, 'p'), { count: 12, seed: 3 })).project
}, 120_000)

afterAll(() => {
  for (const p of ports) p.close()
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

function portEnd<In, Out>(port: unknown): MessageEnd<In, Out> {
  const p = port as MessagePort
  ports.push(p)
  return {
    post: (m) => p.postMessage(m),
    onMessage: (l) => p.on('message', (m: In) => l(m)),
    onClose: (l) => p.on('close', l),
  }
}

/** Chromium's WebGPU as the window would find it: a hardware adapter, or none. */
const hardwareGpu: typeof selectGpuBackend = async (o) => ({
  name: 'webgpu',
  tfjsBackend: 'cpu',
  device: 'GPU (WebGPU: test adapter)',
  accelerated: true,
  slowFallback: false,
  threads: 1,
  skipped: o?.skipped ?? [],
})
const noGpu: typeof selectGpuBackend = async () => {
  throw new NoBackendError({ webgpu: 'Chromium found no WebGPU adapter', webgl: 'no WebGL2 context' })
}

function parts(choose: typeof selectGpuBackend, log: string[]) {
  return {
    openWindow: (): GpuWindowChannel => {
      const toWindow: ((m: ToWorker) => void)[] = []
      const fromWindow: ((m: FromWorker) => void)[] = []
      let connect: (end: MessageEnd<HostToTrainer, TrainerToHost>) => void = () => {}
      const trainerPort = new Promise<MessageEnd<HostToTrainer, TrainerToHost>>((r) => (connect = r))
      serveGpuWindow(
        { post: (m) => fromWindow.forEach((l) => l(m)), onMessage: (l) => void toWindow.push(l) },
        () => trainerPort,
        (task, id) => findMethod(task, id).method,
        choose,
      )
      return {
        send: (m) => toWindow.forEach((l) => l(m)),
        onMessage: (l) => void fromWindow.push(l),
        onExit: () => {},
        kill: () => void log.push('window closed'),
        connectTrainer: (port) => connect(portEnd(port)),
      }
    },
    startHost: (): HostChannel => {
      log.push('host started')
      return inProcessHost(
        (port) => portEnd<TrainerToHost, HostToTrainer>(port),
        () => void log.push('host stopped'),
      )
    },
    channel: (): [unknown, unknown] => {
      const { port1, port2 } = new MessageChannel()
      return [port1, port2]
    },
  }
}

/** One job through the launcher: every message it sent and its exit code. */
function job(choose: typeof selectGpuBackend, first: ToWorker, then?: ToWorker) {
  const log: string[] = []
  const worker = gpuWindowWithHost(parts(choose, log))()
  const messages: FromWorker[] = []
  worker.onMessage((m) => messages.push(m))
  const exited = new Promise<number | null>((r) => worker.onExit(r))
  worker.send(first)
  if (then) worker.send(then)
  return { messages, exited, log }
}

function newRun(): number {
  const request = {
    task: 'classification' as const,
    method: 'supervised',
    labelFraction: 1,
    seeds: 1,
    preset: 'quick' as const,
    overrides: { epochs: 2, batchSize: 4 },
  }
  return createSeedRun(project, request, 0, null)
}

describe('a GPU job: the sandboxed window trains, a worker process hosts the run', () => {
  it('trains a run: the window says its backend, the host streams progress and ends the job', async () => {
    const runId = newRun()
    const { messages, exited, log } = job(hardwareGpu, {
      type: 'run',
      projectDir: project.dir,
      runId,
      threads: 1,
    })
    expect(await exited).toBe(0)
    expect(messages[0]).toMatchObject({
      type: 'backend',
      name: 'webgpu',
      device: 'GPU (WebGPU: test adapter)',
    })
    expect(messages.some((m) => m.type === 'progress' && m.progress.epoch === 2)).toBe(true)
    const done = messages.at(-1)!
    expect(done.type).toBe('done')
    expect(Number.isFinite((done as { metrics: Record<string, number> }).metrics.testF1Macro)).toBe(true)
    // The run records the window's backend and why the desktop app skipped tfjs-node-gpu.
    const run = getRun(project, runId)
    expect(run.status).toBe('succeeded')
    expect(run.backend).toMatch(/^webgpu \(GPU \(WebGPU: test adapter\)\)/)
    expect(run.backend).toMatch(/node-gpu: tfjs-node-gpu cannot be checked/)
    expect(log).toEqual(['host started', 'window closed', 'host stopped'])
  }, 120_000)

  it('hosts a run the user forced onto a GPU backend (S4MI_BACKEND=webgpu): the host itself stays on the CPU', async () => {
    const runId = newRun()
    const before = process.env.S4MI_BACKEND
    process.env.S4MI_BACKEND = 'webgpu'
    try {
      const { messages, exited } = job(hardwareGpu, {
        type: 'run',
        projectDir: project.dir,
        runId,
        forcedGpu: 'webgpu',
      })
      expect(await exited).toBe(0)
      expect(messages.at(-1)?.type, JSON.stringify(messages.at(-1))).toBe('done')
      expect(getRun(project, runId).status).toBe('succeeded')
    } finally {
      if (before === undefined) delete process.env.S4MI_BACKEND
      else process.env.S4MI_BACKEND = before
    }
  }, 120_000)

  it('answers a probe with the window alone', async () => {
    const { messages, exited, log } = job(hardwareGpu, { type: 'probe' })
    expect(await exited).toBe(0)
    expect(messages.map((m) => m.type)).toEqual(['backend'])
    expect(log).toEqual(['window closed'])
  })

  it('without a GPU says why for each backend and starts no host', async () => {
    const runId = newRun()
    const { messages, log } = job(noGpu, { type: 'run', projectDir: project.dir, runId })
    await new Promise((r) => setTimeout(r, 50))
    expect(messages).toEqual([
      { type: 'gpuUnavailable', webgpu: 'Chromium found no WebGPU adapter', webgl: 'no WebGL2 context' },
    ])
    expect(log).toEqual([])
  })

  it('a run cancelled before the window chose its backend ends cancelled in its host', async () => {
    const runId = newRun()
    const { messages, exited } = job(
      hardwareGpu,
      { type: 'run', projectDir: project.dir, runId },
      { type: 'cancel' },
    )
    await exited
    expect(messages.at(-1)).toEqual({ type: 'cancelled' })
    expect(getRun(project, runId).status).toBe('cancelled')
  }, 120_000)
})
