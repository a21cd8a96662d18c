import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../demo/createDemoProject'
import { studentTQuantile } from '../eval/meanConfidenceInterval'
import { closeProject } from '../store/project'
import { listRuns, runMetrics } from '../store/runs'
import { runTrainingSeries, type SeriesEvent } from './series'

const backend = { name: 'cpu', device: 'cpu', warning: null }
let dir: string
let demo: DemoProject

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-series-'))
  demo = await createDemoProject(path.join(dir, 'p'), { count: 12, seed: 5 })
})

afterAll(() => {
  closeProject(demo.project)
  fs.rmSync(dir, { recursive: true, force: true })
})

const predictionCount = (runId: number) =>
  (
    demo.project.db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE run_id = ?').get(runId) as {
      n: number
    }
  ).n

describe('runTrainingSeries', () => {
  it('trains one stored run per seed with the real quick U-Net and reports mean ± t-interval', async () => {
    const events: SeriesEvent[] = []
    const r = await runTrainingSeries(
      demo.project,
      {
        method: 'supervised',
        labelFraction: 0.5,
        seeds: 2,
        preset: 'quick',
        overrides: { epochs: 1, batchSize: 4 },
        backend,
      },
      (e) => events.push(e),
    )
    expect(r.runs.map((x) => x.seed)).toEqual([0, 1])
    const stored = listRuns(demo.project).filter((x) => r.runs.some((y) => y.runId === x.id))
    expect(stored.map((x) => x.status)).toEqual(['succeeded', 'succeeded'])
    expect(stored.map((x) => x.labelFraction)).toEqual([0.5, 0.5])
    for (const run of r.runs) {
      const final = runMetrics(demo.project, run.runId).filter((m) => m.subset === 'final')
      expect(final.find((m) => m.name === 'testIou')?.value).toBe(run.metrics.testIou)
      expect(predictionCount(run.runId)).toBe(12) // a predicted mask for every image, for the viewer
    }
    const ious = r.runs.map((x) => x.metrics.testIou)
    const s = r.summary.testIou
    expect(s.mean).toBeCloseTo((ious[0] + ious[1]) / 2, 12)
    expect(s.halfWidth).toBeCloseTo(
      (studentTQuantile(0.975, 1) * Math.abs(ious[0] - ious[1])) / Math.SQRT2 / Math.SQRT2,
      9,
    )
    expect(events.filter((e) => e.type === 'run-start').length).toBe(2)
    expect(events.some((e) => e.type === 'progress' && e.progress.losses?.dice !== undefined)).toBe(true)
  })
  it('runs cross teaching (U-Net + Swin-UNet) and PiCIE (ResNet FPN) through the same path', async () => {
    const ct = await runTrainingSeries(demo.project, {
      method: 'cross-teaching',
      labelFraction: 0.5,
      seeds: 1,
      preset: 'quick',
      overrides: { maxIterations: 1, labelledPerBatch: 2, unlabelledPerBatch: 2, reportSwin: true },
      backend,
    })
    expect(Object.keys(ct.summary)).toEqual(expect.arrayContaining(['testIou', 'testDice', 'swinTestIou']))
    const picie = await runTrainingSeries(demo.project, {
      method: 'picie',
      labelFraction: 0,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 1, initBatches: 1, updateBatches: 1 },
      backend,
    })
    expect(picie.runs[0].metrics.testIou).toBeGreaterThanOrEqual(0)
    expect(predictionCount(picie.runs[0].runId)).toBe(12)
  })
  it('rejects a fraction that does not fit the method before creating runs', async () => {
    const before = listRuns(demo.project).length
    await expect(
      runTrainingSeries(demo.project, {
        method: 'picie',
        labelFraction: 0.1,
        seeds: 1,
        preset: 'quick',
        backend,
      }),
    ).rejects.toThrow(/PiCIE is unsupervised/)
    await expect(
      runTrainingSeries(demo.project, {
        method: 'supervised',
        labelFraction: 0,
        seeds: 1,
        preset: 'quick',
        backend,
      }),
    ).rejects.toThrow(/needs labels/)
    await expect(
      runTrainingSeries(demo.project, {
        method: 'mean-teacher',
        labelFraction: 0.1,
        seeds: 1,
        preset: 'quick',
        backend,
      }),
    ).rejects.toThrow(/No training method "mean-teacher"/)
    expect(listRuns(demo.project).length).toBe(before)
  })
})
