import { describe, expect, it } from 'vitest'
import { hungarianMatching } from './hungarianMatching'
import { applyClusterMapping, clusterClassHistogram, mapClustersToClasses } from './clusterToClassMapping'

function bruteForceMin(cost: number[][]): number {
  const n = cost.length
  const m = cost[0].length
  let best = Infinity
  // Every injective map of the smaller side into the larger one.
  const rows = Math.min(n, m)
  const pick = (i: number, used: Set<number>, acc: number): void => {
    if (i === rows) return void (best = Math.min(best, acc))
    for (let j = 0; j < Math.max(n, m); j++) {
      if (used.has(j)) continue
      used.add(j)
      pick(i + 1, used, acc + (n <= m ? cost[i][j] : cost[j][i]))
      used.delete(j)
    }
  }
  pick(0, new Set(), 0)
  return best
}

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

describe('hungarianMatching', () => {
  it('solves a hand-worked 3×3', () => {
    // Optimum: row0→col1 (1), row1→col0 (2), row2→col2 (2) = 5.
    expect(
      hungarianMatching([
        [4, 1, 3],
        [2, 0, 5],
        [3, 2, 2],
      ]),
    ).toEqual([1, 0, 2])
  })
  it('equals brute force on random square and rectangular matrices', () => {
    const rand = lcg(7)
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(rand() * 6)
      const m = 1 + Math.floor(rand() * 6)
      const cost = Array.from({ length: n }, () =>
        Array.from({ length: m }, () => Math.round(rand() * 20) - 5),
      )
      const a = hungarianMatching(cost)
      const assigned = a.filter((c) => c >= 0)
      expect(assigned.length).toBe(Math.min(n, m))
      expect(new Set(assigned).size).toBe(assigned.length)
      const total = a.reduce((s, c, i) => s + (c >= 0 ? cost[i][c] : 0), 0)
      expect(total).toBe(bruteForceMin(cost))
    }
  })
})

describe('mapClustersToClasses', () => {
  it('maps swapped clusters back to their classes', () => {
    const truth = [0, 0, 0, 1, 1, 1]
    const clusters = [1, 1, 0, 0, 0, 0] // cluster 1 ≈ background, cluster 0 ≈ foreground
    const h = clusterClassHistogram([clusters], [truth], 2, 2)
    expect(h).toEqual([
      [1, 3],
      [2, 0],
    ])
    const mapping = mapClustersToClasses(h)
    expect(mapping).toEqual([1, 0])
    expect(Array.from(applyClusterMapping(clusters, mapping))).toEqual([0, 0, 1, 1, 1, 1])
  })
  it('is one-to-one even when one class dominates every cluster', () => {
    // Greedy argmax would send both clusters to class 0; matching must use class 1 for one of them.
    expect(
      mapClustersToClasses([
        [10, 1],
        [8, 6],
      ]),
    ).toEqual([0, 1])
  })
  it('sends surplus clusters to their majority class', () => {
    expect(
      mapClustersToClasses([
        [9, 0],
        [0, 9],
        [1, 5],
      ]),
    ).toEqual([0, 1, 1])
  })
  it('rejects out-of-range cluster indices', () => {
    expect(() => clusterClassHistogram([[3]], [[0]], 2, 2)).toThrow(/Cluster index 3/)
  })
})
