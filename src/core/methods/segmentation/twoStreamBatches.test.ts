import { describe, expect, it } from 'vitest'
import { endlessShuffle, paperComposition, twoStreamBatches } from './twoStreamBatches'

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

describe('twoStreamBatches', () => {
  const labelled = Array.from({ length: 20 }, (_, i) => i)
  const unlabelled = Array.from({ length: 30 }, (_, i) => 100 + i)

  it('makes batches of exactly 8 labelled + 8 unlabelled, none of them labelled', () => {
    const random = lcg(3)
    const stream = endlessShuffle(unlabelled, random)
    const seenUnlabelled = new Set<number>()
    for (let epoch = 0; epoch < 4; epoch++) {
      const batches = twoStreamBatches(labelled, stream, paperComposition(false), random)
      expect(batches.length).toBe(2) // 20 // 8, the remainder is dropped
      const epochLabelled = batches.flatMap((b) => b.labelled)
      expect(new Set(epochLabelled).size).toBe(16) // each labelled image at most once per epoch
      for (const b of batches) {
        expect(b.labelled.length).toBe(8)
        expect(b.unlabelled.length).toBe(8)
        for (const i of b.unlabelled) expect(i).toBeGreaterThanOrEqual(100)
        for (const i of b.labelled) expect(i).toBeLessThan(20)
        b.unlabelled.forEach((i) => seenUnlabelled.add(i))
      }
    }
    // 64 draws from an endless shuffle of 30 cover every unlabelled image.
    expect(seenUnlabelled.size).toBe(30)
  })
  it('uses 15 + 1 when every image is labelled', () => {
    const random = lcg(5)
    const all = Array.from({ length: 31 }, (_, i) => i)
    const batches = twoStreamBatches(all, endlessShuffle(all, random), paperComposition(true), random)
    expect(batches.length).toBe(2)
    for (const b of batches) expect([b.labelled.length, b.unlabelled.length]).toEqual([15, 1])
  })
  it('the unlabelled stream is a sequence of full shuffles', () => {
    const next = endlessShuffle([1, 2, 3], lcg(1))
    const draws = Array.from({ length: 9 }, next)
    for (let pass = 0; pass < 3; pass++)
      expect([...draws.slice(pass * 3, pass * 3 + 3)].sort()).toEqual([1, 2, 3])
  })
  it('explains when there are too few labelled images for one batch', () => {
    expect(() =>
      twoStreamBatches([1, 2], endlessShuffle([5], lcg(1)), paperComposition(false), lcg(1)),
    ).toThrow(/labelledPerBatch is 8 but only 2 labelled images/)
  })
})

describe('endlessShuffle state', () => {
  it('carries on from a saved position and pass, and refuses an order of other images', () => {
    let s = 0
    const random = () => (s = (s * 9301 + 49297) % 233280) / 233280
    const a = endlessShuffle([0, 1, 2, 3, 4], random)
    for (let i = 0; i < 7; i++) a()
    const saved = a.state()
    const ahead = Array.from({ length: 3 }, () => a()) // the rest of this pass
    const b = endlessShuffle([0, 1, 2, 3, 4], () => 0)
    b.restore(saved)
    expect(Array.from({ length: 3 }, () => b())).toEqual(ahead)
    expect(() => b.restore([0, 9])).toThrow(/unlabelled order/)
  })
})
