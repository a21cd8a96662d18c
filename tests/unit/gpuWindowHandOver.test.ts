import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/core/api/handlers'
import { Session } from '../../src/core/api/session'
import { getRun } from '../../src/core/store/runs'
import { gpuFirstLauncher } from '../../src/core/train/gpuFirstLauncher'
import { serveGpuWindow } from '../../src/core/train/gpuWindowTrainer'
import { forkLauncher, type WorkerLauncher } from '../../src/core/train/workerLauncher'
import type { FromWorker, ToWorker } from '../../src/core/train/workerProtocol'

// The desktop app's path for a run on a machine whose GPU the window cannot use: the job goes to the GPU
// training window (here its own loop, serveGpuWindow, in this process, as its page runs it), which finds no
// WebGPU or WebGL2 here (Node is not Chromium) and hands it back; a real CPU worker process trains it and
// records the whole chain.
let tmp: string
let session: Session
const windowLog: string[] = []

/** The window's side as gpuTrainingWindow.ts runs it, minus Electron and its page. */
const inProcessWindow: WorkerLauncher = () => {
  const toWindow: ((m: ToWorker) => void)[] = []
  const fromWindow: ((m: FromWorker) => void)[] = []
  serveGpuWindow(
    {
      post: (m) => {
        windowLog.push(m.type)
        fromWindow.forEach((l) => l(m))
      },
      onMessage: (l) => void toWindow.push(l),
    },
    // No run reaches a trainer here: the window hands every job back.
    () => new Promise(() => {}),
  )
  return {
    send: (m) => toWindow.forEach((l) => l(m)),
    onMessage: (l) => void fromWindow.push(l),
    // The window never ends by itself here: gpuFirstLauncher closes it when it hands the job back.
    onExit: () => {},
    kill: () => void windowLog.push('killed'),
  }
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-gpu-window-'))
  session = new Session({
    dataDir: path.join(tmp, 'data'),
    version: 't',
    transport: 'ipc',
    defaultProjectsDir: tmp,
    launchWorker: gpuFirstLauncher(inProcessWindow, forkLauncher, () => true),
  })
  // As the desktop app's main process sets it when Chromium reports a hardware adapter.
  session.gpu = { webgpu: 'hardware adapter (test)', webgl: 'hardware adapter (test)', hardware: true }
}, 60_000)

afterAll(() => {
  session.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('a run the GPU training window hands back', () => {
  it('is trained by the CPU worker, whose record names why the window could not train', async () => {
    const api = createHandlers(session)
    await api['demo.create']({ dir: path.join(tmp, 'demo'), variant: 'multi-class', seed: 3, count: 8 })
    const { jobIds } = await api['train.start']({
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 1 },
    })
    const job = await session.jobs.wait(jobIds[0])
    expect(job.error).toBeNull()
    expect(job.status).toBe('succeeded')
    // The window answered the job once, by handing it back, and was closed.
    expect(windowLog.filter((t) => t !== 'killed')).toEqual(['gpuUnavailable'])
    expect(windowLog).toContain('killed')
    const run = getRun(session.requireProject(), job.runIds[0])
    expect(run.status).toBe('succeeded')
    // The chain as the CPU worker recorded it: the window's own reasons for WebGPU and WebGL2, then on.
    expect(run.backend).toMatch(
      /^(wasm|cpu|node) \(.*\); skipped node-gpu: .*; webgpu: the GPU training window could not use it: runs only inside Chromium; webgl: the GPU training window could not use it: runs only inside Chromium/,
    )
  }, 600_000)
})
