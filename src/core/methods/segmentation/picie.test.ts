import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blobData } from './fixtures/blobData'
import { tinyFeatureNet } from './fixtures/tinyNets'
import { trivialBaselines } from './fixtures/trivialBaselines'
import { picieMethod } from './picie'
import { clusterWeights } from './picieClustering'
import { picieDefaults } from './picieDefaults'
import { allMasks } from './segmentationData'
import { applyGeometric } from './picieViews'
import type { TrainProgress } from '../method'
import { measureActivationBytesPerSample } from '../../engine/memoryEstimate'
import type { TrainState } from '../../engine/trainState'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('PiCIE', () => {
  it('the geometric transform lands on the same region for an image and its feature map', () => {
    // A 4×4 "image" with 2-pixel cells and its 2×2 "feature map" (cell means): crop cell (1,0), flip.
    const img = tf.tensor4d(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4, 1],
    )
    const g = { top: 1, left: 0, side: 1, flip: true }
    const a = applyGeometric(img, g, 2)
      .arraySync()[0]
      .map((r) => r.map((c) => c[0]))
    // rows 2–3, columns 0–1 = [[8, 9], [12, 13]], resized to 4×4 and flipped left-right
    expect(a[0][3]).toBeCloseTo(8, 5)
    expect(a[3][0]).toBeCloseTo(13, 5)
  })

  it('weights clusters as PiCIE does (pixel share), inversely, or not at all', () => {
    const counts = new Float64Array([3, 1, 0])
    expect(clusterWeights(counts, 'frequency')).toEqual([0.75, 0.25, 0])
    expect(clusterWeights(counts, 'inverse')).toEqual([0.25, 0.75, 0])
    expect(clusterWeights(counts, 'none')).toEqual([1, 1, 1])
  })

  it('without labels, clusters blobs well above the all-background and all-foreground predictions', async () => {
    const data = blobData({ size: 16, labelled: 0, unlabelled: 12, val: 6, test: 6, seed: 5 })
    const progress: TrainProgress[] = []
    const result = await picieMethod({ backbone: tinyFeatureNet(8) }).train({
      data,
      preset: 'quick',
      seed: 2,
      hyper: { epochs: 3, batchSize: 6, initBatches: 2, updateBatches: 1 },
      onProgress: (p) => progress.push(p),
    })
    const bars = trivialBaselines(await allMasks(data.test, data.size))
    expect(result.metrics.testIou).toBeGreaterThan(Math.max(bars.allBackground, bars.allForeground) + 0.2)
    expect(progress.length).toBe(3 * 2)
    expect(Object.keys(progress[0].losses).sort()).toEqual(['across', 'kmeans', 'total', 'within'])
    expect(progress[0].losses.total).toBeCloseTo(
      (progress[0].losses.across + progress[0].losses.within) / 2,
      5,
    )
    const probs = result.predict(tf.zeros([1, 16, 16, 3]))
    expect(probs.shape).toEqual([1, 16, 16, 2])
    expect((tf.sum(probs, -1) as tf.Tensor3D).arraySync()[0][0][0]).toBeCloseTo(1, 5)
    probs.dispose()
    result.dispose()
  })
  it('plans its micro-batches from both views with their transforms, not two bare forward passes', async () => {
    const data = blobData({ size: 16, labelled: 0, unlabelled: 6, val: 4, test: 4, seed: 8 })
    const make = tinyFeatureNet(8)
    const stop = new AbortController()
    const logged: string[] = []
    await expect(
      picieMethod({ backbone: make }).train({
        data,
        preset: 'quick',
        seed: 1,
        hyper: { epochs: 1, batchSize: 6 },
        signal: stop.signal,
        log: (line) => {
          logged.push(line)
          stop.abort()
        },
      }),
    ).rejects.toThrow('Training cancelled')
    const planned = /activations ([\d.]+) (KB|MB) at batch 6/.exec(logged[0])
    expect(planned).not.toBeNull()
    const plannedBytes = Number(planned![1]) * (planned![2] === 'MB' ? 2 ** 20 : 2 ** 10)
    const net = make({ preset: 'quick', size: 16, classes: 2, seed: 0 })
    net.train(false)
    // Stored activations and the backward pass's as much again, for two bare passes of 6 images.
    const bare = 2 * 2 * 6 * (await measureActivationBytesPerSample((x) => net.forward(x), [16, 16, 3]))
    net.dispose()
    expect(plannedBytes).toBeGreaterThan(1.2 * bare)
  })
  it("defaults to the paper's and the fork's settings, each from its source", () => {
    const paper = picieDefaults('paper')
    expect(paper).toMatchObject({
      imageSize: 480,
      backbone: 'resnet34',
      epochs: 50,
      k: 2,
      batchSize: 64,
      clusterBatchSize: 64,
      initBatches: 20,
      updateBatches: 1,
      kmeansIterations: 20,
      optimizer: 'sgd',
      lr: 1e-4,
      momentum: 0.9,
      weightDecay: 0,
      schedule: 'step',
      stepSize: 5,
      gamma: 0.502,
      minScale: 0.5,
      hue: 0.1,
      freshClusters: true,
    })
  })
  it('resumed after its last epoch, scores as the run did (fresh clusters, restored random stream)', async () => {
    const data = blobData({ size: 16, labelled: 0, unlabelled: 6, val: 4, test: 4, seed: 8 })
    let last: { epoch: number; state: TrainState } | null = null
    const net = tinyFeatureNet(8)
    const first = await picieMethod({ backbone: net }).train({
      data,
      preset: 'quick',
      seed: 1,
      hyper: { epochs: 1, batchSize: 6, initBatches: 1, updateBatches: 1 },
      checkpoint: { save: async (epoch, state) => void (last = { epoch, state }), restore: async () => null },
    })
    const firstMetrics = first.metrics
    first.dispose()
    const steps: TrainProgress[] = []
    const resumed = await picieMethod({ backbone: net }).train({
      data,
      preset: 'quick',
      seed: 1,
      hyper: { epochs: 1, batchSize: 6, initBatches: 1, updateBatches: 1 },
      onProgress: (p) => steps.push(p),
      checkpoint: { save: async () => {}, restore: async () => last },
    })
    expect(steps.length).toBe(0)
    expect(resumed.metrics).toEqual(firstMetrics)
    expect(resumed.hyper.clusterToClass).toMatch(/^[01],[01]$/)
    resumed.dispose()
  })
})
