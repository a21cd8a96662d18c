import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../demo/createDemoProject'
import { closeProject } from '../store/project'
import { getRun, runMetrics } from '../store/runs'
import { trivialAnswer } from '../../shared/trivialAnswer'
import { runTrainingSeries } from './series'

/**
 * The supervised classifier end to end on the multi-class and multi-label demo projects through the same
 * series the CLI and the app run: small preset, 100 % labels, scores and notes stored with the run. About
 * 20 s (multi-class) and six minutes (multi-label) on two cores, so it runs with S4MI_CLASSIFY_DEMO=1 (npm
 * run test:classify-demo); the fast tests on constructed data (fineTune.test.ts) run in npm test.
 */
const enabled = process.env.S4MI_CLASSIFY_DEMO === '1'
const backend = { name: 'cpu', device: 'cpu', warning: null }
let dir: string
let demo: DemoProject

describe.runIf(enabled)('supervised classifier on the demo', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-demo-classify-'))
    demo = await createDemoProject(path.join(dir, 'mc'), { count: 40, seed: 11 })
  }, 120_000)

  afterAll(() => {
    closeProject(demo.project)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('multi-class, 100 % labels: F1 far above the majority-class baseline; the random start is recorded', async () => {
    const { project } = demo
    const r = await runTrainingSeries(project, {
      task: 'classification',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 15 },
      backend,
    })
    const m = r.runs[0].metrics
    // Always answering the most common class scores F1 macro = (1/C)·F1 of that class ≤ 1/C · 2p/(1+p).
    const majority = trivialAnswer(m)!.f1Macro
    console.log(
      `Supervised, multi-class demo: F1 macro ${m.testF1Macro.toFixed(3)} (majority class ${majority.toFixed(3)})`,
    )
    expect(m.testF1Macro).toBeGreaterThan(majority + 0.4)
    expect(m.testRecallMacro).toBeGreaterThan(0.7)
    const run = getRun(project, r.runs[0].runId)
    expect(run.status).toBe('succeeded')
    expect((run.progress as { notes: string[] }).notes[0]).toMatch(/random weights/)
    const stored = runMetrics(project, run.id).filter((x) => x.subset === 'final')
    expect(stored.find((x) => x.name === 'testF1Macro')?.value).toBe(m.testF1Macro)
  }, 300_000)
})

describe.runIf(enabled)('supervised classifier on the multi-label demo', () => {
  let ml: DemoProject
  let mlDir: string
  beforeAll(async () => {
    await tf.setBackend('cpu')
    mlDir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-demo-classify-ml-'))
    // 160 fields: 112 to train on, 16 to validate, 32 to test (the demo's 70/10/20 split).
    ml = await createDemoProject(path.join(mlDir, 'ml'), { count: 160, seed: 12, variant: 'multi-label' })
  }, 120_000)

  afterAll(() => {
    closeProject(ml.project)
    fs.rmSync(mlDir, { recursive: true, force: true })
  })

  /**
   * Why not the bare quick preset: at its 32 px a 469 × 352 H&E field keeps its inflammation but a
   * vessel shrinks to a faint 3 px smudge (rendered and looked at, 3 Dec); at 64 px its red wall and
   * white lumen are plain. And CASS's early stopping (5 rises of the validation loss running) on 8
   * validation images stops a run from random weights before vessels and necrosis are learnt. Measured
   * on the 80-field project (seed 12), F1 macro against 0.625 for saying yes to every label:
   *   32 px, 15 epochs, early stopping 0.573; 64 px, 15 epochs 0.715; 64 px, 40 epochs with early
   *   stopping 0.510 (stopped early); 64 px, 40 epochs without 0.788 (seed 0).
   * Saying yes to every label is the best trivial answer here (each label is on about half the images,
   * so answering each label's majority is yes or no, and no scores F1 0).
   *
   * Why 160 fields and three seeds, each asserted: on 80 fields (16 test images) the margin was one seed's
   * luck. Five seeds through the CLI (wasm, 6 Dec) gave 0.716 [0.538, 0.894] and two of them were below
   * 0.625 + 0.1 (0.521, 0.688). On 160 fields (32 test images), measured 6 Dec (this test, cpu backend):
   * 0.807 / 0.866 / 0.788 against 0.677; through the CLI 0.801 / 0.864 / 0.780. About six minutes.
   */
  it('multi-label, 100 % labels: F1 macro clearly above saying yes to every label', async () => {
    const r = await runTrainingSeries(ml.project, {
      task: 'classification',
      method: 'supervised',
      labelFraction: 1,
      seeds: 3,
      preset: 'quick',
      overrides: { epochs: 40, imageSize: 64, patience: 0 },
      backend,
    })
    const names = ['inflammation', 'vessel', 'necrosis']
    const allYes = trivialAnswer(r.runs[0].metrics)!.f1Macro
    for (const { seed, metrics: m } of r.runs) {
      console.log(
        `Supervised, multi-label demo, seed ${seed}: F1 macro ${m.testF1Macro.toFixed(3)} (every label yes ${allYes.toFixed(3)}); ` +
          names.map((n) => `${n} ${m[`testF1.${n}`].toFixed(3)}`).join(', '),
      )
      for (const n of names) expect(Number.isFinite(m[`testF1.${n}`])).toBe(true)
      expect(m.testF1Macro, `seed ${seed}`).toBeGreaterThan(allYes + 0.1)
    }
  }, 600_000)
})
