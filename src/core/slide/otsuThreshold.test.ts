import { describe, expect, it } from 'vitest'
import reference from './fixtures/otsu.json'
import { otsuThreshold } from './otsuThreshold'
import { saturation } from './tissueDetection'

function histogram(values: ArrayLike<number>): number[] {
  const h = new Array<number>(256).fill(0)
  for (let i = 0; i < values.length; i++) h[values[i]]++
  return h
}

describe('Otsu threshold', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))(
    'equals scikit-image’s threshold_otsu: %s',
    (_, c) => {
      expect(otsuThreshold(histogram(c.values))).toBe(c.threshold)
    },
  )

  it('returns the one value of a flat picture, as scikit-image does, and refuses no values', () => {
    expect(otsuThreshold(histogram([42, 42, 42]))).toBe(42)
    expect(() => otsuThreshold(new Array(256).fill(0))).toThrow(/no values/)
  })
})

describe('saturation of tissue and glass', () => {
  it('equals the reference’s ⌊(max − min)·255 / max⌋ and its Otsu threshold splits tissue from glass', () => {
    const { width, height, rgb, saturation: want, threshold } = reference.saturation
    const got = saturation(Uint8Array.from(rgb))
    expect([...got]).toEqual(want)
    expect(otsuThreshold(histogram(got))).toBe(threshold)
    // The left two thirds are stained, the rest glass: the threshold puts every pixel on its side.
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) expect(got[y * width + x] > threshold, `${x},${y}`).toBe(x < 16)
  })

  it('is 0 for black, white and grey, 255 for a pure colour (hand-computed)', () => {
    expect([
      ...saturation(Uint8Array.from([0, 0, 0, 255, 255, 255, 90, 90, 90, 200, 0, 0, 200, 100, 50])),
    ]).toEqual([0, 0, 0, 255, 191])
  })
})
