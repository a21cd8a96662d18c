import { describe, expect, it } from 'vitest'
import { probabilityMapValues, quantiseProbabilities } from './probabilityMaps'

describe('probability maps', () => {
  it('keeps "any mask class" alone for a binary net and one map per class for several', () => {
    expect(probabilityMapValues(2)).toEqual([0])
    expect(probabilityMapValues(4)).toEqual([0, 1, 2, 3])
  })
  it('quantises a block by hand: any class = 1 − p(background), each class its own, rounded to 8 bits', () => {
    // Two pixels of a 3-class net inside a span-3 block (the third column is padding and is dropped).
    const probs = new Float32Array([0.7, 0.2, 0.1, 0.02, 0.92, 0.06, 9, 9, 9])
    const maps = quantiseProbabilities(probs, 3, 2, 1, 3)
    // 255·0.3 = 76.5 → 77; 255·0.2 = 51; 255·0.1 = 25.5 → 26; 255·0.98 = 249.9 → 250; 234.6 → 235; 15.3 → 15.
    expect([...maps.get(0)!]).toEqual([77, 250])
    expect([...maps.get(1)!]).toEqual([51, 235])
    expect([...maps.get(2)!]).toEqual([26, 15])
  })
  it('reads rows at the block span and clips to [0, 1]', () => {
    // 2 rows of a span-2 block of a binary net, one column kept: pixels (0,0) and (0,1).
    const probs = new Float32Array([0.25, 0.75, 0, 0, -0.1, 1.2, 0, 0])
    expect([...quantiseProbabilities(probs, 2, 1, 2, 2).get(0)!]).toEqual([191, 255])
  })
  it('refuses a block too small for the size asked', () => {
    expect(() => quantiseProbabilities(new Float32Array(3), 2, 2, 2, 2)).toThrow(/cannot hold 2×2×2/)
  })
})
