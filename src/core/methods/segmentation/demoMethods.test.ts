import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../../demo/createDemoProject'
import { closeProject } from '../../store/project'
import { runLabelledSet } from '../../data/labelledSet'
import { crossTeachingMethod } from './crossTeaching'
import { loadSegmentationData, type ProjectSegmentationData } from './dataset'
import { tinyFeatureNet, tinySegmentationNet } from './fixtures/tinyNets'
import { trivialBaselines } from './fixtures/trivialBaselines'
import { picieMethod } from './picie'
import { allMasks } from './segmentationData'
import { supervisedMethod } from './supervised'

/**
 * Each method after a short run on the demo lesions (32 px, small nets) must beat both trivial
 * predictions clearly. The bars: all-background scores IoU 0, all-foreground the lesions' area share.
 */
let dir: string
let labelled: ProjectSegmentationData
let unsupervised: ProjectSegmentationData
let bar: number
let demo: DemoProject

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-demo-methods-'))
  demo = await createDemoProject(path.join(dir, 'p'), { count: 30, seed: 11 })
  {
    const half = runLabelledSet(demo.project, 'segmentation', 0.5, 0)
    const none = runLabelledSet(demo.project, 'segmentation', 0, 0)
    const load = (sel: typeof half) =>
      loadSegmentationData(demo.project, {
        splitId: sel.splitId,
        labelFractionId: sel.labelFractionId,
        size: 32,
        redChannel: false,
      })
    labelled = await load(half)
    unsupervised = await load(none)
  }
  const b = trivialBaselines(await allMasks(labelled.test, 32))
  bar = Math.max(b.allBackground, b.allForeground)
})

afterAll(() => {
  // The sets read their pixels from the project while training: it stays open until the end.
  closeProject(demo.project)
  fs.rmSync(dir, { recursive: true, force: true })
})

// Seconds on an idle machine; minutes on a shared one with several test runs at once.
describe('segmentation methods on the demo lesions', { timeout: 240_000 }, () => {
  it('has a non-trivial bar: lesions cover part of each image', () => {
    expect(bar).toBeGreaterThan(0.05)
    expect(bar).toBeLessThan(0.7)
  })
  it('supervised (50 % labels)', async () => {
    const r = await supervisedMethod({ cnn: tinySegmentationNet() }).train({
      data: labelled,
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 10, batchSize: 4 },
    })
    expect(r.metrics.testIou).toBeGreaterThan(bar + 0.15)
    r.dispose()
  })
  it('cross teaching (50 % labels)', async () => {
    const r = await crossTeachingMethod({
      cnn: tinySegmentationNet(2, 8),
      swin: tinySegmentationNet(2, 4),
    }).train({
      data: labelled,
      preset: 'quick',
      seed: 0,
      hyper: { maxIterations: 30, labelledPerBatch: 3, unlabelledPerBatch: 3 },
    })
    expect(r.metrics.testIou).toBeGreaterThan(bar + 0.15)
    r.dispose()
  })
  it('PiCIE (no labels)', async () => {
    expect(unsupervised.labelled.ids.length).toBe(0)
    const r = await picieMethod({ backbone: tinyFeatureNet(8) }).train({
      data: unsupervised,
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 3, lr: 0.005, batchSize: 7, initBatches: 2, updateBatches: 1, clusterBatchSize: 7 },
    })
    expect(r.metrics.testIou).toBeGreaterThan(bar + 0.15)
    r.dispose()
  })
})
