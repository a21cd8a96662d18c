import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../demo/createDemoProject'
import { closeProject } from '../store/project'
import { getRun, runMetrics } from '../store/runs'
import { runTrainingSeries } from './series'

/**
 * The supervised classifier end to end on the multi-class demo project through the same series the CLI
 * and the app run: small preset, 100 % labels, scores and notes stored with the run. Takes ~20 s on two
 * cores, so it runs with S4MI_CLASSIFY_DEMO=1 (npm run test:classify-demo); the fast tests on
 * constructed data (fineTune.test.ts) run in npm test.
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
    const support = [0, 1, 2].map((c) => {
      const names = ['nevus', 'melanoma', 'keratosis']
      return (
        m[`testConfusion.${names[c]}→nevus`] +
        m[`testConfusion.${names[c]}→melanoma`] +
        m[`testConfusion.${names[c]}→keratosis`]
      )
    })
    const total = support.reduce((a, b) => a + b, 0)
    const p = Math.max(...support) / total
    const majority = (2 * p) / (1 + p) / 3
    expect(m.testF1Macro).toBeGreaterThan(majority + 0.4)
    expect(m.testRecallMacro).toBeGreaterThan(0.7)
    const run = getRun(project, r.runs[0].runId)
    expect(run.status).toBe('succeeded')
    expect((run.progress as { notes: string[] }).notes[0]).toMatch(/random weights/)
    const stored = runMetrics(project, run.id).filter((x) => x.subset === 'final')
    expect(stored.find((x) => x.name === 'testF1Macro')?.value).toBe(m.testF1Macro)
  }, 300_000)
})
