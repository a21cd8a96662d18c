import { describe, expect, it } from 'vitest'
import { assignClusters, kMeans, MiniBatchKMeans } from './miniBatchKMeans'

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

describe('assignClusters', () => {
  it('assigns each point to the nearest centroid and counts them', () => {
    const feats = new Float32Array([0, 0, 1, 0, 5, 5, 4, 6])
    const centroids = new Float32Array([0, 0, 5, 5])
    const r = assignClusters(feats, 2, centroids)
    expect(Array.from(r.labels)).toEqual([0, 0, 1, 1])
    expect(Array.from(r.distances)).toEqual([0, 1, 0, 2])
    expect(Array.from(r.counts)).toEqual([2, 2])
  })
})

describe('kMeans', () => {
  it('finds the centres of two separated blobs', () => {
    const random = lcg(11)
    const pts: number[] = []
    for (let i = 0; i < 50; i++) pts.push(random() - 0.5, random() - 0.5)
    for (let i = 0; i < 50; i++) pts.push(10 + random() - 0.5, -3 + random() - 0.5)
    const c = kMeans(new Float32Array(pts), 2, 2, 10, lcg(2))
    const centres = [
      [c[0], c[1]],
      [c[2], c[3]],
    ].sort((a, b) => a[0] - b[0])
    expect(centres[0][0]).toBeCloseTo(0, 0)
    expect(centres[1][0]).toBeCloseTo(10, 0)
    expect(centres[1][1]).toBeCloseTo(-3, 0)
  })
})

describe('MiniBatchKMeans', () => {
  it('moves hit centroids toward the batch mean at rate n_k / count_k (PiCIE)', () => {
    const km = new MiniBatchKMeans({
      k: 2,
      dim: 1,
      initBatches: 1,
      updateBatches: 1,
      iterations: 5,
      random: lcg(1),
    })
    km.addBatch(new Float32Array([0, 10])) // init: centroids {0, 10}, counts {1, 1}
    km.addBatch(new Float32Array([2, 4, 12]))
    // cluster 0: n = 2, count 3, rate 2/3, mean 3 → 2; cluster 1: n = 1, count 2, rate 1/2, mean 12 → 11
    const { centroids, loss } = km.finish()
    const sorted = Array.from(centroids).sort((a, b) => a - b)
    expect(sorted[0]).toBeCloseTo(2, 5)
    expect(sorted[1]).toBeCloseTo(11, 5)
    // Mean squared distance per flush: init 0, update (4 + 16 + 4) / 3 = 8 → average 4.
    expect(loss).toBeCloseTo(4, 5)
  })
  it('drops a trailing group smaller than updateBatches', () => {
    const km = new MiniBatchKMeans({
      k: 2,
      dim: 1,
      initBatches: 1,
      updateBatches: 2,
      iterations: 5,
      random: lcg(1),
    })
    km.addBatch(new Float32Array([0, 10]))
    km.addBatch(new Float32Array([4]))
    expect(Array.from(km.finish().centroids).sort((a, b) => a - b)).toEqual([0, 10])
  })
  it('still clusters an epoch shorter than initBatches', () => {
    const km = new MiniBatchKMeans({
      k: 2,
      dim: 1,
      initBatches: 20,
      updateBatches: 20,
      iterations: 5,
      random: lcg(1),
    })
    km.addBatch(new Float32Array([0, 1, 9, 10]))
    expect(Array.from(km.finish().centroids).sort((a, b) => a - b)).toEqual([0.5, 9.5])
  })

  it('holds at most K × maxPointsPerCluster points for its initial k-means, however many batches pool', () => {
    const random = lcg(3)
    const km = new MiniBatchKMeans({
      k: 2,
      dim: 2,
      initBatches: 4,
      updateBatches: 1,
      iterations: 10,
      maxPointsPerCluster: 5,
      random: lcg(4),
    })
    const held: number[] = []
    for (let b = 0; b < 4; b++) {
      const pts: number[] = []
      for (let i = 0; i < 2; i++)
        pts.push(random() - 0.5, random() - 0.5, 10 + random() - 0.5, random() - 0.5)
      km.addBatch(new Float32Array(pts))
      held.push(km.initialPointsHeld)
    }
    // 4 points a batch: all are held until the cap of 10, then a sample of 10; the 4th batch starts
    // k-means, which lets the pool go.
    expect(held).toEqual([4, 8, 10, 0])
    const c = Array.from(km.finish().centroids)
    const xs = [c[0], c[2]].sort((a, b) => a - b)
    expect(xs[0]).toBeCloseTo(0, 0)
    expect(xs[1]).toBeCloseTo(10, 0)
  })

  it('samples the initial points uniformly over every pooled batch, not the first or the last ones', () => {
    // Points 0…299 in 3 batches, 30 kept: K = 1, so the centroid is the sample's mean, 149.5 on average.
    const means: number[] = []
    for (let seed = 1; seed <= 200; seed++) {
      const km = new MiniBatchKMeans({
        k: 1,
        dim: 1,
        initBatches: 3,
        updateBatches: 1,
        iterations: 1,
        maxPointsPerCluster: 30,
        random: lcg(seed),
      })
      for (let b = 0; b < 3; b++) km.addBatch(Float32Array.from({ length: 100 }, (_, i) => 100 * b + i))
      means.push(km.finish().centroids[0])
    }
    const average = means.reduce((a, m) => a + m, 0) / means.length
    // Keeping the first 30 would give 14.5, the last 30 284.5; one sample's mean has sd ≈ 15.
    expect(Math.abs(average - 149.5)).toBeLessThan(5)
    expect(Math.min(...means)).toBeLessThan(125)
    expect(Math.max(...means)).toBeGreaterThan(175)
  })

  it('counts a sampled initial pool as every point it stands for, so later updates move at PiCIE rates', () => {
    const km = new MiniBatchKMeans({
      k: 1,
      dim: 1,
      initBatches: 1,
      updateBatches: 1,
      iterations: 1,
      maxPointsPerCluster: 2,
      random: lcg(5),
    })
    km.addBatch(new Float32Array(10)) // 10 zeros, 2 kept: they stand for count 10
    km.addBatch(new Float32Array([11])) // rate 1 / 11: 0 + (11 − 0) / 11 = 1
    expect(km.finish().centroids[0]).toBeCloseTo(1, 5)
  })

  it('refuses a point limit below 1', () => {
    expect(
      () =>
        new MiniBatchKMeans({
          k: 2,
          dim: 1,
          initBatches: 1,
          updateBatches: 1,
          iterations: 1,
          maxPointsPerCluster: 0,
          random: lcg(1),
        }),
    ).toThrow('maxPointsPerCluster must be at least 1, got 0')
  })
})
