import * as tf from '@tensorflow/tfjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoProject, type DemoProject } from '../demo/createDemoProject'
import { decodeCheckpoint } from '../engine/checkpointCodec'
import { readPicieClassifier } from '../methods/segmentation/picieModel'
import { listImages } from '../store/images'
import { runPredictions } from '../store/predictions'
import { imageUncertainty } from '../store/predictionUncertainty'
import { closeProject } from '../store/project'
import { getRun } from '../store/runs'
import { predictEverywhere } from './predictEverywhere'
import { runTrainingSeries } from './series'

describe('a finished PiCIE run predicts new images', () => {
  const backend = { name: 'cpu', device: 'cpu', warning: null }
  let dir: string
  let demo: DemoProject
  let runId: number

  beforeAll(async () => {
    await tf.setBackend('cpu')
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-picie-model-'))
    demo = await createDemoProject(path.join(dir, 'p'), { count: 12, seed: 5 })
    const series = await runTrainingSeries(demo.project, {
      method: 'picie',
      labelFraction: 0,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 1, initBatches: 1, updateBatches: 1 },
      backend,
    })
    runId = series.runs[0].runId
  }, 120_000)

  afterAll(() => {
    closeProject(demo.project)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('keeps its clusters and their classes in its last checkpoint', () => {
    const run = getRun(demo.project, runId)
    const state = decodeCheckpoint(demo.project.blobs.get(run.checkpointBlob!)).state
    const kept = readPicieClassifier(state)!
    expect(kept.k).toBe(2)
    // The mapping stored is the one the run scored its test split with.
    expect(kept.mapping.join(',')).toBe(
      (run.progress as { hyper: { clusterToClass: string } }).hyper.clusterToClass,
    )
    expect(Object.keys(state).some((k) => k.startsWith('backbone.'))).toBe(true)
  })

  it('rebuilt from its checkpoint, predicts every image as the trained model did, and ranks by entropy', async () => {
    const before = new Map(runPredictions(demo.project, runId).map((p) => [p.imageId, p.blob]))
    expect(before.size).toBe(listImages(demo.project).length)
    const tensors = tf.memory().numTensors
    const summary = await predictEverywhere(demo.project, { runId, images: 'all', again: true })
    expect(tf.memory().numTensors).toBe(tensors)
    expect(summary).toMatchObject({ predicted: before.size, skipped: 0, strategies: ['entropy'] })
    // Blobs are content-addressed: the same blob is the same predicted mask, pixel for pixel.
    expect(new Map(runPredictions(demo.project, runId).map((p) => [p.imageId, p.blob]))).toEqual(before)
    const [u] = imageUncertainty(demo.project, runId, [...before.keys()][0])
    expect(u.strategy).toBe('entropy')
    expect(u.score).toBeGreaterThanOrEqual(0)
    expect(u.score).toBeLessThanOrEqual(Math.log(2) + 1e-9)
  })

  it('refuses Monte Carlo dropout and disagreement, which one dropout-free network cannot give', async () => {
    await expect(
      predictEverywhere(demo.project, { runId, images: 'all', strategies: ['disagreement'] }),
    ).rejects.toThrow(/disagreement|measure/i)
  })
})
