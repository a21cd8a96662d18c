import { describe, expect, it } from 'vitest'
import { picieClassifierState, readPicieClassifier } from './picieModel'

describe('PiCIE classifier state', () => {
  it('keeps centroids, cluster classes and the k-means loss, and reads them back', () => {
    const centroids = Float32Array.from([1, 0, 0, 1, 0.6, 0.8])
    const state = picieClassifierState({
      centroids,
      k: 3,
      dim: 2,
      mapping: [1, 0, 1],
      classes: 2,
      kmeansLoss: 0.25,
    })
    // Row c of the one-hot matrix is cluster c's class.
    expect(Array.from(state['classifier.clusterToClass'].values)).toEqual([0, 1, 1, 0, 0, 1])
    expect(readPicieClassifier(state)).toEqual({
      centroids,
      k: 3,
      dim: 2,
      mapping: [1, 0, 1],
      classes: 2,
      kmeansLoss: 0.25,
    })
    expect(readPicieClassifier({})).toBeNull()
  })

  it('refuses a classifier whose sizes disagree', () => {
    const base = { centroids: new Float32Array(6), k: 3, dim: 2, classes: 2, kmeansLoss: 0 }
    expect(() => picieClassifierState({ ...base, mapping: [0, 1] })).toThrow(/maps 2 clusters, not 3/)
    expect(() => picieClassifierState({ ...base, dim: 3, mapping: [0, 1, 1] })).toThrow(/3 centroids of 3/)
  })
})
