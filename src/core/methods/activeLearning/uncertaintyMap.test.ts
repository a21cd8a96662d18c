import { describe, expect, it } from 'vitest'
import { UNCERTAINTY_MAP_SIDE, UncertaintyMap } from './uncertaintyMap'

describe('UncertaintyMap', () => {
  it('scores a whole image as the mean of its model pixels and paints each map pixel from its nearest', () => {
    const m = new UncertaintyMap(4, 2)
    const whole = { width: 4, height: 2 }
    m.add([1, 2, 3, 4], 2, { x: 0, y: 0, ...whole, span: whole })
    expect(m.score()).toBe(2.5)
    expect(Array.from(m.grey(4))).toEqual([1, 1, 2, 2, 3, 3, 4, 4].map((v) => Math.round((v / 4) * 255)))
  })

  it("leaves an edge tile's padding out of the score and the map, and averages overlaps", () => {
    const m = new UncertaintyMap(6, 4)
    // A 4-px tile at x = 4 of which 2 columns are image: model column 0 of 2 only.
    m.add([1, 2, 3, 4], 2, { x: 4, y: 0, width: 2, height: 4, span: { width: 4, height: 4 } })
    expect(m.score()).toBe(2) // (1 + 3) / 2
    // An overlapping tile at x = 2 adds its own 2 × 2 model pixels, all 0.
    m.add([0, 0, 0, 0], 2, { x: 2, y: 0, width: 4, height: 4, span: { width: 4, height: 4 } })
    expect(m.score()).toBeCloseTo(4 / 6, 12) // (1 + 3 + 0 · 4) / 6
    const grey = m.grey(3)
    const at = (x: number, y: number) => grey[y * 6 + x]
    expect(at(0, 0)).toBe(0) // never covered
    expect(at(4, 0)).toBe(Math.round((0.5 / 3) * 255)) // (1 + 0) / 2
    expect(at(5, 3)).toBe(Math.round((1.5 / 3) * 255)) // (3 + 0) / 2
  })

  it('keeps a slide small: the longest side at most UNCERTAINTY_MAP_SIDE', () => {
    const m = new UncertaintyMap(20_000, 10_000)
    expect([m.width, m.height]).toEqual([UNCERTAINTY_MAP_SIDE, UNCERTAINTY_MAP_SIDE / 2])
  })
})
