import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { catalogueEntries } from './catalogue'
import type { Hyper } from './method'
import { blobData } from './segmentation/fixtures/blobData'
import { tintData } from './classification/fixtures/tintData'

/**
 * Same configuration, seed, backend and data: the same metrics, exactly, for every method of the catalogue
 * with its real quick networks. Each method trains twice on tiny data for a few steps. Cross teaching once
 * scored seed 0 at 0.5587 and then 0.5204: the Swin-UNet's stochastic depth drew its masks from an unseeded
 * generator. Any new randomness that does not follow the run's seed turns this red.
 */

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A few steps of each method: enough for every random draw (augmentation, dropout, drop path, crops) to matter. */
const tiny: Record<string, Hyper> = {
  'segmentation/supervised': { epochs: 2, batchSize: 4, earlyStopPatience: 0 },
  'segmentation/cross-teaching': {
    maxIterations: 2,
    keepBestValidation: false,
    labelledPerBatch: 2,
    unlabelledPerBatch: 2,
    validateEvery: 2,
  },
  'segmentation/picie': {
    epochs: 1,
    batchSize: 4,
    clusterBatchSize: 4,
    initBatches: 1,
    updateBatches: 1,
    kmeansIterations: 2,
  },
  'classification/supervised': { epochs: 2, batchSize: 4 },
  'classification/dino': {
    'dino.epochs': 1,
    'dino.batchSize': 4,
    epochs: 1,
    batchSize: 4,
    backbone: 'vit_tiny',
  },
  'classification/cass': { 'cass.epochs': 1, 'cass.batchSize': 4, epochs: 1, batchSize: 4 },
}

async function trainOnce(task: string, id: string, seed: number): Promise<Record<string, number>> {
  const entry = catalogueEntries().find((e) => e.task === task && e.id === id)!
  const data =
    task === 'segmentation'
      ? blobData({ size: 32, labelled: 4, unlabelled: 4, val: 2, test: 2, raw: true })
      : tintData({ kind: 'multi-class', size: 32, labelled: 6, val: 3, test: 3 })
  const result = await entry.runner!.method.train({
    data,
    preset: 'quick',
    seed,
    hyper: tiny[`${task}/${id}`],
  })
  result.dispose()
  return result.metrics
}

describe('reproducibility', () => {
  const methods = catalogueEntries().filter((e) => e.runner)
  it('covers every method of the catalogue', () => {
    expect(methods.map((e) => `${e.task}/${e.id}`).sort()).toEqual(Object.keys(tiny).sort())
  })
  for (const e of methods) {
    it(`${e.task} ${e.id}: the same seed gives the same metrics twice`, { timeout: 120_000 }, async () => {
      const first = await trainOnce(e.task, e.id, 0)
      const second = await trainOnce(e.task, e.id, 0)
      expect(Object.keys(first).length).toBeGreaterThan(0)
      expect(second).toEqual(first)
    })
  }
  it(
    'cross teaching: another seed gives other metrics (its Swin-UNet masks follow the seed)',
    { timeout: 120_000 },
    async () => {
      const [a, b] = [
        await trainOnce('segmentation', 'cross-teaching', 0),
        await trainOnce('segmentation', 'cross-teaching', 1),
      ]
      expect(b).not.toEqual(a)
    },
  )
})
