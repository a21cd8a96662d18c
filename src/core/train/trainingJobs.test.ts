import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { JobQueue } from '../jobs/jobQueue'
import { insertImage } from '../store/images'
import { commitMaskRevision } from '../store/masks'
import { getRun, listRuns, updateRun } from '../store/runs'
import { closeProject, createProject } from '../store/project'
import { resumeInterruptedRuns, startTraining, type TrainingHost, type TrainRequest } from './trainingJobs'
import { scriptedLauncher } from './scriptedWorker'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** The app's session as training sees it: a project, a job queue, no backend probed. */
function sessionWithProject() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-train-'))
  dirs.push(dir)
  const p = createProject(path.join(dir, 'p'), {
    name: 'P',
    labelMode: 'multi-class',
    classes: [{ name: 'lesion', color: '#ff0000' }],
  })
  for (let i = 0; i < 10; i++) {
    const id = insertImage(p, {
      blob: String(i).padStart(64, 'a'),
      name: `i${i}`,
      width: 4,
      height: 4,
      channels: 3,
      format: 'png',
    })
    commitMaskRevision(p, id, String(i).padStart(64, 'b'), 'import')
  }
  return {
    jobs: new JobQueue(),
    backend: null,
    requireProject: () => p,
    close: () => closeProject(p),
  } satisfies TrainingHost & { close(): void }
}

const request: TrainRequest = {
  task: 'segmentation',
  method: 'supervised',
  labelFraction: 0.5,
  seeds: 2,
  preset: 'quick',
  overrides: {},
}

describe('training jobs', () => {
  it('trains independent runs side by side while cores and memory allow, planned from measured peaks', async () => {
    const GiB = 1024 ** 3
    const base = sessionWithProject()
    const session = {
      ...base,
      backend: {
        name: 'wasm',
        device: 'CPU (WebAssembly SIMD)',
        accelerated: false,
        slowFallback: true,
        warning: null,
        threads: 1,
        skipped: [],
      },
      trainingCapacity: { threads: 4, bytes: 10 * GiB },
    } satisfies TrainingHost & { close(): void }
    let live = 0
    let most = 0
    const { launcher } = scriptedLauncher((w) => {
      if (w.received.at(-1)?.type !== 'run') return
      live++
      most = Math.max(most, live)
      setTimeout(() => {
        live--
        w.post({ type: 'done', metrics: { testIou: 0.6 }, peakMemoryBytes: 1 * GiB })
        w.exit(0)
      }, 40)
    })
    // Nothing measured yet: each wasm run may take its 4 GiB heap and the process (4.75 GiB), so two fit.
    const first = startTraining(session, { ...request, seeds: 3 }, launcher)
    await Promise.all(first.map((j) => session.jobs.wait(j.id)))
    expect(most).toBe(2)
    // Each run measured a 1 GiB peak: planned at 1.25 GiB, four runs fit in memory and in the 4 threads.
    most = 0
    const second = startTraining(session, { ...request, seeds: 6 }, launcher)
    await Promise.all(second.map((j) => session.jobs.wait(j.id)))
    expect(most).toBe(4)
    base.close()
  })

  it('stores one run per seed with its config and dataset version, and follows the worker to the end', async () => {
    const session = sessionWithProject()
    const { launcher, launched } = scriptedLauncher((w) => {
      if (w.received.at(-1)?.type !== 'run') return
      w.post({ type: 'progress', progress: { fraction: 0.5, losses: { total: 0.7 } } })
      w.post({ type: 'done', metrics: { testIou: 0.6 } })
      w.exit(0)
    })
    const jobs = startTraining(session, request, launcher)
    expect(jobs).toHaveLength(2)
    const done = await Promise.all(jobs.map((j) => session.jobs.wait(j.id)))
    expect(done.map((j) => j.status)).toEqual(['succeeded', 'succeeded'])
    expect(done[0].result).toEqual({ testIou: 0.6 })
    const runs = listRuns(session.requireProject())
    expect(runs.map((r) => r.seed)).toEqual([0, 1])
    expect(done[0].runIds).toEqual([runs[0].id])
    expect(launched.map((m) => m[0])).toEqual(
      runs.map((r) => ({ type: 'run', projectDir: session.requireProject().dir, runId: r.id })),
    )
    const config = runs[0].config as { labelFraction: number; splitId: number; labelledImages: number }
    expect(config.labelFraction).toBe(0.5)
    // 10 images → 7 train with masks → half of them keep their labels.
    expect(config.labelledImages).toBe(4)
    expect(runs[0].datasetVersion).toMatch(/^[0-9a-f]{16}$/)
    expect(runs[0].datasetVersion).not.toBe(runs[1].datasetVersion)
    session.close()
  })

  it('marks a run failed when its worker dies, with a message, and keeps the queue going', async () => {
    const session = sessionWithProject()
    const { launcher } = scriptedLauncher((w) => {
      if (w.received.at(-1)?.type === 'run') w.exit(null)
    })
    const [job] = startTraining(session, { ...request, seeds: 1 }, launcher)
    const final = await session.jobs.wait(job.id)
    expect(final.status).toBe('failed')
    expect(final.error).toMatch(/killed \(out of memory\?\)/)
    expect(getRun(session.requireProject(), final.runIds[0]).status).toBe('failed')
    session.close()
  })

  it('passes a cancel to the worker and ends the run cancelled', async () => {
    const session = sessionWithProject()
    const { launcher, launched } = scriptedLauncher((w) => {
      if (w.received.at(-1)?.type === 'cancel') {
        w.post({ type: 'cancelled' })
        w.exit(0)
      }
    })
    const [job] = startTraining(session, { ...request, seeds: 1 }, launcher)
    await new Promise((r) => setTimeout(r, 20))
    session.jobs.cancel(job.id)
    expect((await session.jobs.wait(job.id)).status).toBe('cancelled')
    expect(launched[0].map((m) => m.type)).toEqual(['run', 'cancel'])
    session.close()
  })

  it('requeues runs a crash left running, and only those', async () => {
    const session = sessionWithProject()
    const { launcher } = scriptedLauncher((w) => {
      if (w.received.at(-1)?.type !== 'run') return
      w.post({ type: 'done', metrics: {} })
      w.exit(0)
    })
    const jobs = startTraining(session, request, launcher)
    await Promise.all(jobs.map((j) => session.jobs.wait(j.id)))
    const p = session.requireProject()
    const [a] = listRuns(p)
    updateRun(p, a.id, { status: 'running' })
    const resumed = resumeInterruptedRuns(session, launcher)
    expect(resumed.map((j) => j.runIds)).toEqual([[a.id]])
    const done = await session.jobs.wait(resumed[0].id)
    expect(done.error).toBeNull()
    expect(done.status).toBe('succeeded')
    session.close()
  })

  it('refuses a label fraction for PiCIE', () => {
    const session = sessionWithProject()
    expect(() =>
      startTraining(session, { ...request, method: 'picie' }, scriptedLauncher(() => {}).launcher),
    ).toThrow(/unsupervised/)
    session.close()
  })
})
