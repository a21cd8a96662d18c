import { describe, expect, it } from 'vitest'
import { crossTeachingWeight, sigmoidRampup } from './crossTeachingWeight'

describe('crossTeachingWeight', () => {
  it('is 0.1·exp(−5(1 − t/200)²) with t = iteration // 150, capped at 200', () => {
    expect(crossTeachingWeight(0)).toBeCloseTo(0.1 * Math.exp(-5), 12)
    expect(crossTeachingWeight(149)).toBeCloseTo(0.1 * Math.exp(-5), 12)
    expect(crossTeachingWeight(150)).toBeCloseTo(0.1 * Math.exp(-5 * (199 / 200) ** 2), 12)
    expect(crossTeachingWeight(15_000)).toBeCloseTo(0.1 * Math.exp(-1.25), 12)
    expect(crossTeachingWeight(29_999)).toBeCloseTo(0.1 * Math.exp(-5 * (1 / 200) ** 2), 12)
    expect(crossTeachingWeight(30_000)).toBe(0.1)
    expect(crossTeachingWeight(90_000)).toBe(0.1)
  })
  it('ramps to 1 immediately with a zero-length ramp', () => {
    expect(sigmoidRampup(0, 0)).toBe(1)
  })
})
