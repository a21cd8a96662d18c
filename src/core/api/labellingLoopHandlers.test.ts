import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject } from '../demo/createDemoProject'
import { listClasses } from '../store/classes'
import { listImages } from '../store/images'
import { setImageLabels } from '../store/labels'
import { finishedClassifierRun } from '../train/fixtures/classifierRun'
import { createLoopProject, type LoopProject } from '../train/fixtures/loopProject'
import { createExperiment, experimentRunIds } from '../store/experiments'
import { getRun, updateRun } from '../store/runs'
import { scriptedLauncher } from '../train/scriptedWorker'
import { labellingLoopHandlers } from './labellingLoopHandlers'
import { Session } from './session'
import { testSession } from './fixtures/testSession'

let dir: string
let loop: LoopProject
let session: Session
let h: ReturnType<typeof labellingLoopHandlers>

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-loop-api-'))
  loop = await createLoopProject(path.join(dir, 'p'))
  // A stand-in training worker: the retrained run succeeds at once.
  const { launcher } = scriptedLauncher((w) => {
    const m = w.received.at(-1)
    if (m?.type !== 'run') return
    updateRun(loop.project, m.runId, { status: 'succeeded' })
    w.post({ type: 'done', metrics: {} })
    w.exit(0)
  })
  session = testSession(dir, loop.project, { launchWorker: launcher })
  h = labellingLoopHandlers(session)
}, 60_000)

afterAll(() => {
  loop.cnn.dispose()
  loop.swin.dispose()
  session.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('labelling loop handlers', () => {
  it('lists the runs that can predict with what each can measure', async () => {
    const runs = await h['loop.runs']({})
    expect(runs.map((r) => [r.runId, r.strategies])).toEqual([
      [loop.crossRun, ['entropy', 'disagreement', 'mc-dropout']],
      [loop.supervisedRun, ['entropy']],
    ])
  })

  it('predicts the unlabelled images as a job, then queues them with a heatmap each', async () => {
    const { jobId } = await h['loop.predict']({ runId: loop.crossRun, images: 'unlabelled' })
    const done = await session.jobs.wait(jobId)
    expect(done.status).toBe('succeeded')
    expect(done.kind).toBe('predict')
    expect(done.result).toMatchObject({ predicted: 2, strategies: ['entropy', 'disagreement'] })
    const q = await h['loop.queue']({ runId: loop.crossRun, strategy: 'entropy' })
    expect(q.images.map((i) => i.imageId).sort()).toEqual([...loop.unlabelled].sort())
    expect(q.images[0].score!).toBeGreaterThanOrEqual(q.images[1].score!)
    expect(q.unscored).toBe(0)
    const layer = await h['loop.uncertaintyLayer']({
      runId: loop.crossRun,
      imageId: loop.unlabelled[1],
      strategy: 'entropy',
    })
    // The 40 × 28 image's map is at full size (under the map's side limit), RGBA.
    expect([layer.width, layer.height]).toEqual([40, 28])
    expect(Buffer.from(layer.layer, 'base64')).toHaveLength(40 * 28 * 4)
  })

  it('refuses at once what a run cannot do, and a map not measured', async () => {
    await expect(h['loop.predict']({ runId: 999, images: 'all' })).rejects.toThrow(/999/)
    await expect(
      h['loop.uncertaintyLayer']({
        runId: loop.supervisedRun,
        imageId: loop.unlabelled[0],
        strategy: 'mc-dropout',
      }),
    ).rejects.toThrow(/predict it first/)
  })

  it('retrains the run’s configuration on what is labelled now, as a new run in the same experiment', async () => {
    const spec = {
      name: 'loop',
      tasks: ['segmentation' as const],
      methods: ['supervised'],
      backbones: [],
      labelFractions: [0.5],
      seeds: 1,
      preset: 'quick' as const,
      overrides: {},
    }
    const experiment = createExperiment(loop.project, { name: 'loop', splitId: 1, spec }, () => [
      loop.supervisedRun,
    ])
    const { jobId, runId } = await h['loop.retrain']({ runId: loop.supervisedRun })
    expect((await session.jobs.wait(jobId)).status).toBe('succeeded')
    const next = getRun(loop.project, runId)
    expect(next.config).toMatchObject({
      method: 'supervised',
      preset: 'quick',
      seed: 3,
      labelFraction: 'user',
    })
    expect(experimentRunIds(loop.project, experiment.id)).toEqual([loop.supervisedRun, runId])
  })
})

describe('labelling loop handlers with a classification run', () => {
  it('lists the run, predicts as a job, and queues each image with its predicted label', async () => {
    const demo = await createDemoProject(path.join(dir, 'c'), { count: 8, seed: 2 })
    const pool = listImages(demo.project)
      .filter((i) => i.subset === 'train')
      .slice(0, 2)
      .map((i) => i.id)
    for (const id of pool) setImageLabels(demo.project, id, null)
    const runId = finishedClassifierRun(demo.project, 4)
    const s = new Session({
      dataDir: path.join(dir, 'data-c'),
      version: 'test',
      transport: 'http',
      defaultProjectsDir: dir,
    })
    try {
      s.adopt(demo.project)
      const c = labellingLoopHandlers(s)
      expect(await c['loop.runs']({})).toEqual([
        {
          runId,
          task: 'classification',
          method: 'supervised',
          labelFraction: 1,
          seed: 4,
          strategies: ['entropy'],
        },
      ])
      const { jobId } = await c['loop.predict']({ runId, images: 'unlabelled' })
      expect((await s.jobs.wait(jobId)).status).toBe('succeeded')
      const q = await c['loop.queue']({ runId, strategy: 'entropy' })
      expect(q.images.map((i) => i.imageId).sort()).toEqual([...pool].sort())
      const names = listClasses(demo.project).map((k) => k.name)
      for (const i of q.images) {
        expect(i.predicted).toHaveLength(1)
        expect(names).toContain(i.predicted![0].className)
        expect(i.predicted![0].probability).toBeGreaterThan(1 / names.length)
      }
      // A classifier has no pixel map of its doubt: the heatmap says so rather than drawing nothing.
      await expect(
        c['loop.uncertaintyLayer']({ runId, imageId: pool[0], strategy: 'entropy' }),
      ).rejects.toThrow(/has not measured entropy/)
    } finally {
      s.close()
    }
  }, 60_000)
})
