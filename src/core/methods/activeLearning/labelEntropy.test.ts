import { describe, expect, it } from 'vitest'
import { labelEntropy, mostLabelEntropy } from './labelEntropy'

describe('labelEntropy', () => {
  it('is −Σ p ln p over one softmax, by hand', () => {
    expect(labelEntropy([1, 0, 0], 'multi-class')).toBe(0)
    expect(labelEntropy([0.5, 0.5], 'multi-class')).toBeCloseTo(Math.LN2, 12)
    expect(labelEntropy([1 / 3, 1 / 3, 1 / 3], 'multi-class')).toBeCloseTo(Math.log(3), 12)
    // −(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) = 0.249672 + 0.321888 + 0.230259
    expect(labelEntropy([0.7, 0.2, 0.1], 'multi-class')).toBeCloseTo(0.801819, 6)
    expect(mostLabelEntropy(3, 'multi-class')).toBeCloseTo(Math.log(3), 12)
  })

  it('is the mean binary entropy over labels when each label has its own sigmoid', () => {
    expect(labelEntropy([1, 0], 'multi-label')).toBe(0)
    expect(labelEntropy([0.5, 0.5, 0.5], 'multi-label')).toBeCloseTo(Math.LN2, 12)
    // (ln 2 + 0) / 2
    expect(labelEntropy([0.5, 1], 'multi-label')).toBeCloseTo(Math.LN2 / 2, 12)
    // −(0.9 ln 0.9 + 0.1 ln 0.1) = 0.325083, and 0 for the sure label
    expect(labelEntropy([0.9, 0], 'multi-label')).toBeCloseTo(0.325083 / 2, 6)
    expect(mostLabelEntropy(5, 'multi-label')).toBeCloseTo(Math.LN2, 12)
  })
})
