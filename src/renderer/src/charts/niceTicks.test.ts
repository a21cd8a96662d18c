import { describe, expect, it } from 'vitest'
import { formatTick, niceTicks } from './niceTicks'

describe('niceTicks', () => {
  it('picks 1-2-5 steps that cover the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual({ ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], lo: 0, hi: 1 })
    expect(niceTicks(0.13, 0.87, 4).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(3, 97, 5).ticks).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(0.1, 0.35, 5).ticks).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35])
  })

  it('widens a flat or reversed range and survives non-finite input', () => {
    const flat = niceTicks(2, 2)
    expect(flat.lo).toBeLessThan(2)
    expect(flat.hi).toBeGreaterThan(2)
    expect(niceTicks(1, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(Number.NaN, 1)).toEqual({ ticks: [0, 1], lo: 0, hi: 1 })
  })
})

describe('formatTick', () => {
  it('shows learning rates in exponent form and ordinary numbers plainly', () => {
    expect(formatTick(0.0001)).toBe('1e−4')
    expect(formatTick(0.25)).toBe('0.25')
    expect(formatTick(1234)).toBe('1234')
    expect(formatTick(0)).toBe('0')
  })
})
