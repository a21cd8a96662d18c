import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../demo/createDemoProject'
import { closeProject } from '../store/project'
import { imagePredictions } from '../store/predictions'
import { getRun, runMetrics } from '../store/runs'
import { listImages } from '../store/images'
import { PREDICTING_IMAGES } from './predictionProgress'
import type { JobProgress } from '../../shared/events'
import { runTrainingSeries } from './series'

const backend = { name: 'cpu', device: 'cpu', warning: null }
let dir: string
let demo: DemoProject

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-execute-run-'))
  demo = await createDemoProject(path.join(dir, 'mc'), { count: 12, seed: 3 })
}, 120_000)

afterAll(() => {
  closeProject(demo.project)
  fs.rmSync(dir, { recursive: true, force: true })
})

/** One seed of a classification method at 100 % labels on the demo, with every progress report it sent. */
async function trainClassifier(method: string, overrides: Record<string, number>) {
  const sent: Partial<JobProgress>[] = []
  const r = await runTrainingSeries(
    demo.project,
    { task: 'classification', method, labelFraction: 1, seeds: 1, preset: 'quick', overrides, backend },
    (e) => e.type === 'progress' && e.progress.losses && sent.push(e.progress),
  )
  return { sent, runId: r.runs[0].runId }
}

describe('executeRun: the live terms of a step', () => {
  it('sends and stores only measured terms: no validation score before the first validation', async () => {
    const { sent, runId } = await trainClassifier('supervised', { epochs: 2 })
    // Progress crosses a process boundary as JSON: a NaN term would arrive as null, read as 0.
    const steps = sent.map((p) => JSON.parse(JSON.stringify(p)) as Partial<JobProgress>)
    const first = steps.filter((p) => p.epoch === 1)
    const last = steps.filter((p) => p.epoch === 2)
    expect(first.length).toBeGreaterThan(0)
    for (const p of first) expect(Object.keys(p.losses!)).toEqual(['fineTune'])
    // From the second epoch on, the first epoch's validation is reported beside the training loss.
    for (const p of last) expect(Object.keys(p.losses!).sort()).toEqual(['fineTune', 'valF1Macro', 'valLoss'])
    for (const p of steps) for (const v of Object.values(p.losses!)) expect(Number.isFinite(v)).toBe(true)
    // Stored curves (every 5th step and the last): the last step's validation under 'val', as f1Macro.
    const curves = runMetrics(demo.project, runId).filter((m) => m.subset !== 'final')
    expect([...new Set(curves.map((m) => `${m.subset}/${m.name}`))].sort()).toEqual([
      'train/fineTune',
      'train/lr',
      'train/valLoss',
      'val/f1Macro',
    ])
    for (const m of curves) expect(Number.isFinite(m.value)).toBe(true)
  }, 120_000)

  it("runs a two-stage method's progress on across its stages: one bar, curves that follow each other", async () => {
    const { sent, runId } = await trainClassifier('dino', { 'dino.epochs': 2, epochs: 3 })
    // The bar fills once: pretraining is its first half, fine-tuning its second; it never starts again.
    const fractions = sent.map((p) => p.fraction!)
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true)
    expect(Math.max(...fractions.filter((_, i) => sent[i].phase!.index === 0))).toBeLessThanOrEqual(0.5)
    expect(fractions.at(-1)).toBe(1)
    expect(sent[0].message).toMatch(/^DINO pretraining \(stage 1 of 2\) · Epoch 1\/2/)
    expect(sent.at(-1)!.message).toMatch(/^Fine-tuning \(stage 2 of 2\) · Epoch 3\/3/)
    // Stored curves: the pretraining's terms in epochs 1–2, fine-tuning's in 3–5.
    const curves = runMetrics(demo.project, runId).filter((m) => m.subset === 'train')
    const epochsOf = (name: string) => [...new Set(curves.filter((m) => m.name === name).map((m) => m.epoch))]
    // Stored at each epoch's end too: a two-epoch pretraining leaves a curve, not one point.
    expect(epochsOf('dinoLoss')).toEqual([1, 2])
    expect(Math.min(...epochsOf('fineTune').map(Number))).toBeGreaterThan(2)
    expect(Math.max(...epochsOf('fineTune').map(Number))).toBe(5)
  }, 120_000)

  it("CASS's three stages: one bar, the Transformer's fine-tuning then the CNN's", async () => {
    const { sent } = await trainClassifier('cass', { 'cass.epochs': 1, epochs: 2, patience: 0 })
    const fractions = sent.map((p) => p.fraction!)
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true)
    expect([...new Set(sent.map((p) => p.phase!.name))]).toEqual([
      'CASS pretraining',
      'Transformer fine-tuning',
      'CNN fine-tuning',
    ])
    expect(sent.at(-1)!.phase!.epochsBefore).toBe(3)
    expect(fractions.at(-1)).toBe(1)
  }, 120_000)
})

describe("executeRun: predicting the project's images after training", () => {
  const segmentation = {
    task: 'segmentation' as const,
    method: 'supervised',
    labelFraction: 1,
    seeds: 1,
    preset: 'quick' as const,
    overrides: { epochs: 1, batchSize: 4, earlyStopPatience: 0 },
    backend,
  }
  const predicting = (p: Partial<JobProgress>) => p.message?.startsWith(PREDICTING_IMAGES) === true

  it('restarts the bar for that stage: images counted to the last, with the time left', async () => {
    const sent: Partial<JobProgress>[] = []
    await runTrainingSeries(demo.project, segmentation, (e) => e.type === 'progress' && sent.push(e.progress))
    const stage = sent.filter(predicting)
    // It comes after every training report, and the demo's 12 fields go 4 at a time.
    expect(sent.slice(sent.indexOf(stage[0])).every(predicting)).toBe(true)
    expect(stage.map((p) => p.message)).toEqual(
      [0, 4, 8, 12].map((n) => `${PREDICTING_IMAGES} · ${n} of 12 images`),
    )
    expect(stage.map((p) => p.fraction)).toEqual([0, 4 / 12, 8 / 12, 1])
    expect(stage[0].etaSeconds).toBeUndefined()
    for (const p of stage.slice(1)) expect(p.etaSeconds).toBeGreaterThanOrEqual(0)
    expect(stage.at(-1)!.etaSeconds).toBe(0)
  }, 120_000)

  it('stops when the run is cancelled while predicting: the run says cancelled, the rest is not predicted', async () => {
    const cancel = new AbortController()
    let runId = 0
    await expect(
      runTrainingSeries(demo.project, { ...segmentation, signal: cancel.signal }, (e) => {
        if (e.type === 'run-start') runId = e.runId
        // After the second batch is predicted, before it is stored: the first batch's 4 are kept.
        if (e.type === 'progress' && predicting(e.progress) && e.progress.fraction! >= 8 / 12) cancel.abort()
      }),
    ).rejects.toThrow()
    expect(getRun(demo.project, runId).status).toBe('cancelled')
    const predicted = listImages(demo.project).filter((i) =>
      imagePredictions(demo.project, i.id).some((p) => p.runId === runId),
    )
    expect(predicted.length).toBe(4)
  }, 120_000)
})
