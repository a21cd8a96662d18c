import { describe, expect, it } from 'vitest'
import { createSeededRandom } from './seededRandom'

describe('createSeededRandom', () => {
  it('repeats for the same seed and differs across seeds', () => {
    const a = createSeededRandom(73)
    const b = createSeededRandom(73)
    const c = createSeededRandom(211)
    const sa = Array.from({ length: 20 }, () => a.next())
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(sa)
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa)
  })

  it('is uniform enough: mean, variance and bucket counts of 100k draws', () => {
    const r = createSeededRandom(1234)
    const n = 100_000
    const buckets = new Array(10).fill(0)
    let sum = 0
    let sumSq = 0
    let outside = 0
    for (let i = 0; i < n; i++) {
      const v = r.next()
      if (v < 0 || v >= 1) outside++
      sum += v
      sumSq += v * v
      buckets[Math.floor(v * 10)]++
    }
    expect(outside).toBe(0)
    expect(sum / n).toBeCloseTo(0.5, 2)
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2)
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.1 % tail.
    const chi2 = buckets.reduce((acc, count) => acc + (count - n / 10) ** 2 / (n / 10), 0)
    expect(chi2).toBeLessThan(27.9)
  })

  it('draws standard normals', () => {
    const r = createSeededRandom(5)
    const xs = Array.from({ length: 50_000 }, () => r.normal())
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length
    expect(Math.abs(mean)).toBeLessThan(0.02)
    expect(variance).toBeCloseTo(1, 1)
  })

  it('shuffles into a permutation without touching the input, reproducibly', () => {
    const items = [...Array(50).keys()]
    const s1 = createSeededRandom(9).shuffle(items)
    expect(items).toEqual([...Array(50).keys()])
    expect([...s1].sort((a, b) => a - b)).toEqual(items)
    expect(s1).not.toEqual(items)
    expect(createSeededRandom(9).shuffle(items)).toEqual(s1)
  })

  it('rejects bad arguments', () => {
    expect(() => createSeededRandom(Number.NaN)).toThrow(/seed/)
    expect(() => createSeededRandom(1).nextInt(0)).toThrow(/nextInt/)
  })
})
