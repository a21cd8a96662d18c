import { describe, expect, it } from 'vitest'
import { CoarseField } from './coarseField'

describe('CoarseField', () => {
  it('reproduces a linear field exactly between its samples, and the samples themselves', () => {
    const f = (x: number, y: number) => 3 * x - 2 * y + 7
    const field = new CoarseField(50, 30, 4, f)
    for (const [x, y] of [
      [0, 0],
      [4, 8],
      [5.5, 3.25],
      [49, 29],
      [17, 0.5],
    ]) {
      expect(field.at(x, y)).toBeCloseTo(f(x, y), 4)
    }
  })

  it('interpolates bilinearly: x·y (itself bilinear) is exact, x² is overestimated inside a cell', () => {
    expect(new CoarseField(8, 8, 4, (x, y) => x * y).at(1, 3)).toBeCloseTo(3, 6)
    // Between samples 0 and 16 at x = 0 and 4, x = 2 reads the mean 8, not 4.
    expect(new CoarseField(8, 8, 4, (x) => x * x).at(2, 0)).toBeCloseTo(8, 6)
  })
})
