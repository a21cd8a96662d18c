import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/core/api/handlers'
import { Session } from '../../src/core/api/session'
import type { JobState } from '../../src/shared/events'
import { getRun, runMetrics } from '../../src/core/store/runs'
import { activeLabelFraction, saveLabelFraction } from '../../src/core/store/splits'

// The whole path a click on "Start" takes: API → stored run → job queue → a real worker process
// (tfjs on the fallback backend) → progress events → metrics, checkpoint and predictions in the project.
let tmp: string
let session: Session

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-worker-'))
  session = new Session({
    dataDir: path.join(tmp, 'data'),
    version: 't',
    transport: 'http',
    defaultProjectsDir: tmp,
  })
}, 120_000)

afterAll(() => {
  session.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('training in a worker process', () => {
  it('trains the supervised U-Net on the demo project and stores what it learned', async () => {
    const api = createHandlers(session)
    await api['demo.create']({ dir: path.join(tmp, 'demo'), variant: 'multi-class', seed: 3, count: 16 })
    const progress: JobState[] = []
    session.onEvent((e) => {
      if (e.type === 'job' && e.job.kind === 'train') progress.push(e.job)
    })
    const { jobIds } = await api['train.start']({
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 3 },
    })
    const job = await session.jobs.wait(jobIds[0])
    expect(job.error).toBeNull()
    expect(job.status).toBe('succeeded')
    const run = getRun(session.requireProject(), job.runIds[0])
    expect(run.status).toBe('succeeded')
    expect(run.backend).toMatch(/wasm|cpu|node/)
    expect(run.checkpointBlob).toMatch(/^[0-9a-f]{64}$/)
    const metrics = runMetrics(session.requireProject(), run.id)
    const final = Object.fromEntries(
      metrics.filter((m) => m.subset === 'final').map((m) => [m.name, m.value]),
    )
    expect(final.testIou).toBeGreaterThanOrEqual(0)
    expect(final.testIou).toBeLessThanOrEqual(1)
    expect(metrics.some((m) => m.subset === 'train' && m.name === 'total')).toBe(true)
    // Progress streamed with every loss term, epochs and an ETA.
    const live = progress.find((j) => j.progress.losses && j.progress.epochs)
    expect(Object.keys(live?.progress.losses ?? {})).toEqual(expect.arrayContaining(['total', 'dice', 'ce']))
    expect(live?.progress.epochs).toBe(3)
    const table = await api['results.table']({ task: 'segmentation' })
    expect(table.cells.find((c) => c.method === 'supervised' && c.metric === 'testIou')?.n).toBe(1)
    const predictions = session
      .requireProject()
      .db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?')
      .get(run.id) as { n: number }
    expect(predictions.n).toBeGreaterThan(0)
  }, 600_000)

  it('trains on a single labelled image without a batch of one', async () => {
    const api = createHandlers(session)
    // A labelled set of one image, chosen as the active set (a stratified 10 % keeps one image per class).
    const project = session.requireProject()
    const active = activeLabelFraction(project)!
    saveLabelFraction(
      project,
      { ...active, task: 'segmentation', imageIds: active.imageIds.slice(0, 1) },
      'one image',
    )
    const { jobIds } = await api['train.start']({
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 'active',
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 2 },
    })
    const job = await session.jobs.wait(jobIds[0])
    const run = getRun(session.requireProject(), job.runIds[0])
    expect((run.config as { labelledImages: number }).labelledImages).toBe(1)
    expect(job.error).toBeNull()
    expect(job.status).toBe('succeeded')
  }, 600_000)

  it('reproduces its metrics when the same config runs again on the same backend', async () => {
    const api = createHandlers(session)
    const request = {
      task: 'segmentation' as const,
      method: 'supervised' as const,
      labelFraction: 0.5,
      seeds: 1,
      preset: 'quick' as const,
      overrides: { epochs: 2 },
    }
    const finals: Record<string, number>[] = []
    for (let i = 0; i < 2; i++) {
      const { jobIds } = await api['train.start'](request)
      const job = await session.jobs.wait(jobIds[0])
      expect(job.status).toBe('succeeded')
      const rows = runMetrics(session.requireProject(), job.runIds[0]).filter((m) => m.subset === 'final')
      finals.push(Object.fromEntries(rows.map((m) => [m.name, m.value])))
    }
    const runs = (await api['runs.list']({})).slice(-2)
    expect(runs[0].datasetVersion).toBe(runs[1].datasetVersion)
    expect(finals[1]).toEqual(finals[0])
  }, 600_000)

  it('reproduces its metrics on 2 CPU threads (the app setting), and the run records the count', async () => {
    const api = createHandlers(session)
    const request = {
      task: 'segmentation' as const,
      method: 'supervised' as const,
      labelFraction: 0.5,
      seeds: 1,
      preset: 'quick' as const,
      overrides: { epochs: 1 },
    }
    // The setting is stored, the backend asked again: the status bar now shows the new count.
    const backend = await api['training.setThreads']({ threads: 2 })
    expect(backend.threads).toBe(2)
    expect(backend.device).toMatch(/2 threads/)
    expect((await api['app.status']({})).trainingThreads.threads).toBe(2)
    const finals: Record<string, number>[] = []
    for (let i = 0; i < 2; i++) {
      const { jobIds } = await api['train.start'](request)
      const job = await session.jobs.wait(jobIds[0])
      expect(job.error).toBeNull()
      const run = getRun(session.requireProject(), job.runIds[0])
      expect(run.backend).toMatch(/^wasm \(CPU \(WebAssembly SIMD, 2 threads/)
      expect(run.backend).toMatch(/skipped node-gpu: .*; node: /)
      const rows = runMetrics(session.requireProject(), job.runIds[0]).filter((m) => m.subset === 'final')
      finals.push(Object.fromEntries(rows.map((m) => [m.name, m.value])))
    }
    expect(finals[0].testIou).toBeGreaterThanOrEqual(0)
    expect(finals[1]).toEqual(finals[0])
    await expect(api['training.setThreads']({ threads: 9 })).rejects.toThrow(/threads/)
  }, 600_000)
})
