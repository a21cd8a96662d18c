import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../demo/createDemoProject'
import { closeProject, type Project } from '../store/project'
import { getRun } from '../store/runs'
import { trivialAnswer } from '../../shared/trivialAnswer'
import { runTrainingSeries } from './series'

/**
 * DINO and CASS end to end on the demo projects (both label kinds) through the series the CLI and the
 * app run: quick preset, a short pretraining, fine-tuning at 100 % labels, scores stored with the run,
 * and the pretraining reused by a second label fraction. DINO runs on 40 multi-class images with 4
 * pretraining and 15 fine-tuning epochs: with 24 images (5 test images), 2 and 6 epochs it measured F1
 * 0.22, chance, which said nothing about DINO (the supervised baseline with 6 epochs is no better); at
 * this size it fine-tunes far above the majority baseline (measured 5 Dec: 0.867 from the teacher, 1.000
 * from the student the quick preset now keeps; supervised 1.00). CASS fine-tunes both its networks far
 * above it too. On 160 multi-label fields at 64 px DINO beats answering yes to every label. CASS on the
 * 24-field multi-label demo is wiring only: its scores and the all-labels-yes baseline are printed.
 * About six minutes on two cores, so with S4MI_CLASSIFY_DEMO=1; the fast tests on constructed data run in
 * npm test.
 */
const enabled = process.env.S4MI_CLASSIFY_DEMO === '1'

const backend = { name: 'cpu', device: 'cpu', warning: null }

/** A series at the quick preset on the cpu backend, at 100 % labels unless said. */
function trainQuick(
  project: Project,
  method: 'dino' | 'cass',
  opts: { seeds: number; labelFraction?: number; overrides?: Record<string, number | string> },
) {
  return runTrainingSeries(project, {
    task: 'classification',
    method,
    labelFraction: opts.labelFraction ?? 1,
    seeds: opts.seeds,
    preset: 'quick',
    overrides: opts.overrides,
    backend,
  })
}

let dir: string
const demos: Record<string, DemoProject> = {}

describe.runIf(enabled)('DINO and CASS on the demo', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-demo-ssl-'))
    demos.mc = await createDemoProject(path.join(dir, 'mc'), { count: 40, seed: 11 })
    demos.ml = await createDemoProject(path.join(dir, 'ml'), { count: 24, seed: 12, variant: 'multi-label' })
    demos.ml160 = await createDemoProject(path.join(dir, 'ml160'), {
      count: 160,
      seed: 12,
      variant: 'multi-label',
    })
  }, 180_000)

  afterAll(() => {
    for (const d of Object.values(demos)) closeProject(d.project)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('DINO (official) on the multi-class demo: fine-tunes at 100 %, then reuses the pretraining at 50 %', async () => {
    const { project } = demos.mc
    const overrides = { 'dino.epochs': 4, epochs: 15 }
    const r = await trainQuick(project, 'dino', { seeds: 1, overrides })
    const m = r.runs[0].metrics
    const majority = trivialAnswer(m)!.f1Macro
    console.log(
      `DINO on the multi-class demo: F1 macro ${m.testF1Macro.toFixed(3)} (majority class ${majority.toFixed(3)})`,
    )
    expect(m.testF1Macro).toBeGreaterThan(majority + 0.3)
    const again = await trainQuick(project, 'dino', { seeds: 1, labelFraction: 0.5, overrides })
    const notes = (getRun(project, again.runs[0].runId).progress as { notes: string[] }).notes
    expect(notes.join('\n')).toMatch(/reused, no pretraining/)
  }, 600_000)

  /**
   * CASS's fine-tuning from its pretraining, on the multi-class demo at the quick preset, three seeds: both
   * networks far above always answering the most common diagnosis. Measured 6 Dec (this test, cpu backend):
   * CNN 0.722 / 0.867 / 1.000, Transformer 0.867 / 1.000 / 0.841 (majority class 0.182); through the CLI
   * on wasm CNN 0.500 / 1.000 / 1.000, Transformer 0.903 on average.
   */
  it('CASS on the multi-class demo: both networks fine-tune far above the majority class', async () => {
    const { project } = demos.mc
    const r = await trainQuick(project, 'cass', { seeds: 3 })
    const mean = (name: string) => r.runs.reduce((a, run) => a + run.metrics[name], 0) / r.runs.length
    const majority = trivialAnswer(r.runs[0].metrics)!.f1Macro
    console.log(
      `CASS on the multi-class demo, 3 seeds: F1 macro CNN ${r.runs.map((x) => x.metrics.testF1Macro.toFixed(3)).join(' / ')}, ` +
        `Transformer ${r.runs.map((x) => x.metrics.vitTestF1Macro.toFixed(3)).join(' / ')} (majority class ${majority.toFixed(3)})`,
    )
    expect(mean('testF1Macro')).toBeGreaterThan(majority + 0.4)
    expect(mean('vitTestF1Macro')).toBeGreaterThan(majority + 0.4)
  }, 600_000)

  /**
   * DINO on the multi-label H&E demo at the settings where the supervised classifier clearly beats answering
   * yes to every label (classificationSeries.test.ts: 160 fields, 64 px, 40 fine-tuning epochs without early
   * stopping; at the quick preset's 32 px a vessel is a 3-pixel smudge). Measured 6 Dec through the CLI
   * (wasm), 3 seeds: 0.835 / 0.811 / 0.858 against 0.677; this test (cpu backend, seed 0) 0.789, 0.012 above
   * its bar. About four minutes. CASS at the same settings, printed there, not here:
   * CNN 0.732 / 0.792 / 0.630, its Transformer 0.567 on average, below that answer (a ViT from random weights
   * on 112 images). On 80 fields (16 test images) one DINO seed scored 0.782 on wasm and exactly the
   * all-yes answer, 0.625, on the cpu backend: too few test images to say anything from one seed.
   */
  it('DINO on the multi-label demo at 64 px: F1 macro clearly above saying yes to every label', async () => {
    const { project } = demos.ml160
    const r = await trainQuick(project, 'dino', {
      seeds: 1,
      overrides: { imageSize: 64, epochs: 40, patience: 0 },
    })
    const m = r.runs[0].metrics
    const allYes = trivialAnswer(m)!.f1Macro
    console.log(
      `DINO on the multi-label demo (160 fields, 64 px): F1 macro ${m.testF1Macro.toFixed(3)} (every label yes ${allYes.toFixed(3)})`,
    )
    expect(m.testF1Macro).toBeGreaterThan(allYes + 0.1)
  }, 900_000)

  it('CASS on the multi-label demo: both networks scored', async () => {
    const { project } = demos.ml
    const r = await trainQuick(project, 'cass', { seeds: 1, overrides: { 'cass.epochs': 2, epochs: 6 } })
    const m = r.runs[0].metrics
    console.log(
      `CASS on the multi-label demo: F1 macro CNN ${m.testF1Macro.toFixed(3)}, ViT ${m.vitTestF1Macro.toFixed(3)} ` +
        `(every label yes: ${trivialAnswer(m)!.f1Macro.toFixed(3)})`,
    )
    expect(m.testF1Macro).toBeGreaterThan(0)
    expect(m.vitTestF1Macro).toBeGreaterThanOrEqual(0)
  }, 600_000)
})
