import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import type { Hyper, Method, TrainProgress } from '../method'
import { crossTeachingMethod } from './crossTeaching'
import { blobData } from './fixtures/blobData'
import { tinyFeatureNet, tinySegmentationNet } from './fixtures/tinyNets'
import { picieMethod } from './picie'
import type { SegmentationData } from './segmentationData'
import { supervisedMethod } from './supervised'
import { buildSeeded } from '../../models/nn/module'
import { SwinUnet } from '../../models/swinUnet/swinUnet'
import { swinUnetConfig } from '../../models/swinUnet/swinUnetConfig'
import type { NetFactory } from './segmentationNet'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/**
 * A run killed in the middle of an epoch (after some epochs were checkpointed) and resumed from its last
 * checkpoint ends with exactly the metrics of the same run left alone: weights, optimiser moments and
 * every random stream (shuffles, augmentation, PiCIE's views and k-means, the unlabelled order) carry on.
 */
async function killedAndResumed(
  method: () => Method<SegmentationData>,
  data: SegmentationData,
  hyper: Hyper,
  killAt: (p: TrainProgress) => boolean,
) {
  const run = (opts: {
    signal?: AbortSignal
    onProgress?: (p: TrainProgress) => void
    saved?: (epoch: number, state: TrainState) => void
    from?: { epoch: number; state: TrainState } | null
  }) =>
    method().train({
      data,
      preset: 'quick',
      seed: 3,
      hyper,
      signal: opts.signal,
      onProgress: opts.onProgress,
      checkpoint: {
        save: async (epoch, state) => opts.saved?.(epoch, state),
        restore: async () => opts.from ?? null,
      },
    })
  const whole = await run({})
  const wholeMetrics = whole.metrics
  whole.dispose()

  const abort = new AbortController()
  let last: { epoch: number; state: TrainState } | null = null
  let killedIn: TrainProgress | null = null
  await expect(
    run({
      signal: abort.signal,
      saved: (epoch, state) => void (last = { epoch, state }),
      onProgress: (p) => {
        if (!killedIn && killAt(p)) {
          killedIn = p
          abort.abort()
        }
      },
    }),
  ).rejects.toThrow(/cancelled/)
  expect(killedIn).not.toBeNull()
  const resumedFrom = last as { epoch: number; state: TrainState } | null
  expect(resumedFrom).not.toBeNull()
  const steps: TrainProgress[] = []
  const resumed = await run({ from: resumedFrom, onProgress: (p) => steps.push(p) })
  const resumedMetrics = resumed.metrics
  resumed.dispose()
  return { wholeMetrics, resumedMetrics, killedIn: killedIn!, resumedAtEpoch: steps[0]?.epoch }
}

/**
 * The quick Swin-UNet with the paper's stochastic depth (0.2) and dropout on: its masks change every step, so
 * a resumed run repeats only if it draws each step's masks as the uninterrupted run did.
 */
const noisySwinUnet: NetFactory = ({ size, classes, seed }) =>
  buildSeeded(
    seed,
    () =>
      new SwinUnet(
        swinUnetConfig('swinUnetTiny', {
          imageSize: size,
          numClasses: classes,
          dropPathRate: 0.2,
          dropout: 0.1,
        }),
      ),
  )

describe('a run killed mid-epoch and resumed ends as the uninterrupted run', () => {
  it('cross teaching', async () => {
    const data = blobData({ size: 16, labelled: 4, unlabelled: 6, val: 2, test: 2, seed: 4 })
    const r = await killedAndResumed(
      () => crossTeachingMethod({ cnn: tinySegmentationNet(2, 8), swin: tinySegmentationNet(2, 4) }),
      data,
      // The last model is scored (no best-validation pick that could hide a different ending).
      { maxIterations: 8, labelledPerBatch: 2, unlabelledPerBatch: 2, keepBestValidation: false },
      (p) => p.epoch === 3 && p.step === 1,
    )
    expect(r.killedIn.steps).toBe(2) // killed after step 1 of 2: mid-epoch
    expect(r.resumedAtEpoch).toBe(3)
    expect(r.resumedMetrics).toEqual(r.wholeMetrics)
  })
  it(
    "cross teaching with a Swin-UNet under drop path 0.2 and dropout (the paper preset's noise)",
    { timeout: 240_000 },
    async () => {
      const data = blobData({ size: 32, labelled: 4, unlabelled: 4, val: 2, test: 2, seed: 4 })
      const r = await killedAndResumed(
        () => crossTeachingMethod({ cnn: tinySegmentationNet(2, 4), swin: noisySwinUnet }),
        data,
        // The Swin-UNet is scored too: drop path reaches its weights first.
        {
          maxIterations: 6,
          labelledPerBatch: 2,
          unlabelledPerBatch: 2,
          keepBestValidation: false,
          reportSwin: true,
        },
        (p) => p.epoch === 2 && p.step === 1,
      )
      expect(r.killedIn.steps).toBe(2)
      expect(r.resumedAtEpoch).toBe(2)
      expect(r.resumedMetrics).toEqual(r.wholeMetrics)
    },
  )
  it('PiCIE', async () => {
    const data = blobData({ size: 16, labelled: 0, unlabelled: 6, val: 2, test: 2, seed: 8 })
    const r = await killedAndResumed(
      () => picieMethod({ backbone: tinyFeatureNet(8) }),
      data,
      { epochs: 3, batchSize: 3, clusterBatchSize: 3, initBatches: 1, updateBatches: 1 },
      (p) => p.epoch === 2 && p.step === 1,
    )
    expect(r.killedIn.steps).toBe(2)
    expect(r.resumedAtEpoch).toBe(2)
    expect(r.resumedMetrics).toEqual(r.wholeMetrics)
  })
  it('supervised', async () => {
    const data = blobData({ size: 16, labelled: 8, val: 2, test: 2, seed: 6 })
    const r = await killedAndResumed(
      () => supervisedMethod({ cnn: tinySegmentationNet() }),
      data,
      { epochs: 3, batchSize: 4 },
      (p) => p.epoch === 2 && p.step === 1,
    )
    expect(r.killedIn.steps).toBe(2)
    expect(r.resumedMetrics).toEqual(r.wholeMetrics)
  })
})
