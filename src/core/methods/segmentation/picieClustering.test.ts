import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../engine/seededRandom'
import { blobData } from './fixtures/blobData'
import { plainFeatureNet, tinyFeatureNet } from './fixtures/tinyNets'
import { clusterViews, freshCentroids, type ClusteringSetup } from './picieClustering'
import { drawViewParams, PICIE_VIEW_DEFAULTS } from './picieViews'
import type { SegmentationNet } from './segmentationNet'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** The net, recording whether it was in train mode at each forward pass. */
function watchedMode(net: SegmentationNet): { net: SegmentationNet; modes: boolean[] } {
  const modes: boolean[] = []
  let training = true
  return {
    modes,
    net: {
      ...net,
      forward: (x) => (modes.push(training), net.forward(x)),
      parameters: () => net.parameters(),
      stateDict: () => net.stateDict(),
      dispose: () => net.dispose(),
      train: (mode = true) => ((training = mode), net.train(mode)),
    },
  }
}

describe("PiCIE's clustering step", () => {
  it('runs k-means with the net in train mode (BatchNorm statistics adapt) and labels in eval mode', async () => {
    const data = blobData({ size: 16, labelled: 0, unlabelled: 6, val: 1, test: 1, seed: 2 })
    const w = watchedMode(tinyFeatureNet(8)({ preset: 'quick', size: 16, classes: 2, seed: 1 }))
    const runningMean = () =>
      Array.from([...w.net.stateDict()].find(([k]) => k.includes('running_mean'))![1].value.dataSync())
    const before = runningMean()
    const random = createSeededRandom(4)
    const setup: ClusteringSetup = {
      net: w.net,
      pool: data.unlabelled,
      size: 16,
      featureSide: 8,
      dim: 8,
      k: 2,
      clusterBatchSize: 3,
      forwardImages: 3,
      initBatches: 1,
      updateBatches: 1,
      iterations: 5,
      maxPointsPerCluster: 0,
      random,
    }
    const params = Array.from({ length: 6 }, () =>
      drawViewParams(8, PICIE_VIEW_DEFAULTS, () => random.next()),
    )
    const c = await clusterViews(setup, params)
    // 2 views × 2 batches of k-means in train mode, then 2 views × 2 batches of labels in eval mode.
    expect(w.modes).toEqual([true, true, true, true, false, false, false, false])
    expect(runningMean()).not.toEqual(before)
    expect(c.labels[0]).toHaveLength(6)
    expect(c.labels[1][5]).toHaveLength(64)
    expect(c.counts[0].reduce((a, b) => a + b, 0)).toBe(6 * 64)
    w.modes.length = 0
    const fresh = await freshCentroids(setup)
    expect(w.modes).toEqual([true, true])
    expect(fresh.centroids).toHaveLength(2 * 8)
    w.net.dispose()
  })
  it('a cluster batch featurised in parts (to fit memory) clusters exactly as whole, without BatchNorm', async () => {
    const data = blobData({ size: 16, labelled: 0, unlabelled: 6, val: 1, test: 1, seed: 2 })
    const clustered = async (forwardImages: number) => {
      const net = plainFeatureNet(8)({ preset: 'quick', size: 16, classes: 2, seed: 1 })
      const random = createSeededRandom(4)
      const setup: ClusteringSetup = {
        net,
        pool: data.unlabelled,
        size: 16,
        featureSide: 8,
        dim: 8,
        k: 2,
        clusterBatchSize: 3,
        forwardImages,
        initBatches: 1,
        updateBatches: 1,
        iterations: 5,
        maxPointsPerCluster: 0,
        random,
      }
      const params = Array.from({ length: 6 }, () =>
        drawViewParams(8, PICIE_VIEW_DEFAULTS, () => random.next()),
      )
      const c = await clusterViews(setup, params)
      net.dispose()
      return c
    }
    const whole = await clustered(3)
    const parts = await clustered(2)
    expect(parts.labels).toEqual(whole.labels)
    expect(Array.from(parts.centroids[1])).toEqual(Array.from(whole.centroids[1]))
    expect(parts.kmeansLoss).toBeCloseTo(whole.kmeansLoss, 6)
  })
})
