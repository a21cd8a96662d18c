import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blobData } from './fixtures/blobData'
import { tinySegmentationNet } from './fixtures/tinyNets'
import { crossTeachingMethod } from './crossTeaching'
import { crossTeachingWeight } from './crossTeachingWeight'
import { allMasks } from './segmentationData'
import { trivialBaselines } from './fixtures/trivialBaselines'
import type { TrainProgress } from '../method'
import type { TrainState } from '../../engine/trainState'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// Two different CNNs stand in for the CNN U-Net and the Swin-UNet: the method only needs two nets.
const nets = { cnn: tinySegmentationNet(2, 8), swin: tinySegmentationNet(2, 4) }

describe('cross teaching', () => {
  it('learns blobs from 4 labelled + 4 unlabelled batches, well above the trivial predictions', async () => {
    const data = blobData({ size: 16, labelled: 8, unlabelled: 8 })
    const progress: TrainProgress[] = []
    const result = await crossTeachingMethod(nets).train({
      data,
      preset: 'quick',
      seed: 3,
      hyper: { maxIterations: 16, reportSwin: true },
      onProgress: (p) => progress.push(p),
    })
    const bars = trivialBaselines(await allMasks(data.test, data.size))
    expect(result.metrics.testIou).toBeGreaterThan(Math.max(bars.allBackground, bars.allForeground) + 0.3)
    expect(result.metrics.swinTestIou).toBeGreaterThan(bars.allForeground)
    expect(progress.length).toBe(16)
    expect(progress[0].epochs).toBe(8) // 8 labelled / 4 per batch = 2 batches per epoch
    // λ follows the rescaled SSL4MIS ramp: 16 iterations / 200 steps per ramp.
    expect(progress[12].losses.lambda).toBeCloseTo(
      crossTeachingWeight(12, { consistency: 0.1, rampupLength: 200, iterationsPerStep: 16 / 200 }),
      12,
    )
    expect(Object.keys(progress[0].losses).sort()).toEqual([
      'lambda',
      'pseudoCnn',
      'pseudoSwin',
      'supervisedCnn',
      'supervisedSwin',
      'total',
    ])
    result.dispose()
  })
  it('trains with every image labelled (15 + 1 style) and with SSL4MIS SGD + poly', async () => {
    const data = blobData({ size: 16, labelled: 8, unlabelled: 0, val: 0, test: 3 })
    const result = await crossTeachingMethod(nets).train({
      data,
      preset: 'quick',
      seed: 4,
      hyper: {
        maxIterations: 2,
        labelledPerBatch: 4,
        unlabelledPerBatch: 4,
        optimizer: 'sgd',
        lr: 0.01,
        weightDecay: 1e-4,
        schedule: 'poly',
      },
    })
    expect(Number.isFinite(result.metrics.testIou)).toBe(true)
    expect(result.hyper.batchComposition).toBe('7+1') // 4 + 4 asked: 7 labelled + 1 "unlabelled"
    result.dispose()
  })
  it('uses every labelled image per batch when there are fewer than half a batch, and says so', async () => {
    const data = blobData({ size: 16, labelled: 3, unlabelled: 6, val: 0, test: 2 })
    const result = await crossTeachingMethod(nets).train({
      data,
      preset: 'quick',
      seed: 5,
      hyper: { maxIterations: 1 },
    })
    expect(result.hyper.batchComposition).toBe('3+4')
    result.dispose()
  })
  it('resumes from its last checkpoint: both nets restored, finished iterations skipped', async () => {
    const data = blobData({ size: 16, labelled: 4, unlabelled: 4, val: 2, test: 3 })
    let last: { epoch: number; state: TrainState } | null = null
    const first = await crossTeachingMethod(nets).train({
      data,
      preset: 'quick',
      seed: 6,
      hyper: { maxIterations: 4 },
      checkpoint: { save: async (epoch, state) => void (last = { epoch, state }), restore: async () => null },
    })
    expect(last!.epoch).toBe(4) // one batch per epoch
    expect(Object.keys(last!.state).some((k) => k.startsWith('cnn.'))).toBe(true)
    expect(Object.keys(last!.state).some((k) => k.startsWith('swin.'))).toBe(true)
    const steps: TrainProgress[] = []
    const resumed = await crossTeachingMethod(nets).train({
      data,
      preset: 'quick',
      seed: 99,
      hyper: { maxIterations: 4 },
      onProgress: (p) => steps.push(p),
      checkpoint: { save: async () => {}, restore: async () => last },
    })
    expect(steps.length).toBe(0)
    expect(resumed.metrics.testIou).toBeCloseTo(first.metrics.testIou, 10)
    first.dispose()
    resumed.dispose()
  })
})
