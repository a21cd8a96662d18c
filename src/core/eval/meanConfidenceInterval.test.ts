import { describe, expect, it } from 'vitest'
import { meanConfidenceInterval, studentTCdf, studentTQuantile } from './meanConfidenceInterval'

describe('Student t quantile', () => {
  // Two-sided 95 % critical values from the standard t table.
  const table: [number, number][] = [
    [1, 12.7062047],
    [2, 4.3026527],
    [3, 3.1824463],
    [4, 2.7764451],
    [9, 2.2621572],
    [29, 2.0452296],
    [120, 1.9799304],
  ]
  it.each(table)('t(0.975, df=%i) = %f', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 6)
  })
  it('has the closed forms of df 1 (Cauchy) and df 2', () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12)
    const t = 1.3
    expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12)
  })
  it('tends to the normal quantile', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4)
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451, 6)
  })
})

describe('meanConfidenceInterval', () => {
  it('matches a hand computation over five seeds', () => {
    const v = [0.4, 0.5, 0.45, 0.55, 0.6]
    const mean = 0.5
    const std = Math.sqrt((0.01 + 0 + 0.0025 + 0.0025 + 0.01) / 4)
    const r = meanConfidenceInterval(v)
    expect(r.mean).toBeCloseTo(mean, 12)
    expect(r.std).toBeCloseTo(std, 12)
    expect(r.halfWidth).toBeCloseTo((2.7764451 * std) / Math.sqrt(5), 7)
    expect(r.lower).toBeCloseTo(mean - r.halfWidth, 12)
  })
  it('has no interval for a single run', () => {
    const r = meanConfidenceInterval([0.3])
    expect(r.mean).toBe(0.3)
    expect(r.halfWidth).toBeNaN()
  })
  it('rejects empty and non-finite input', () => {
    expect(() => meanConfidenceInterval([])).toThrow(/No values/)
    expect(() => meanConfidenceInterval([1, NaN])).toThrow(/non-finite/)
  })
})
