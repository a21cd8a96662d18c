import { describe, expect, it } from 'vitest'
import { DemoRandom } from './demoRandom'
import { ValueNoise } from './valueNoise'

describe('ValueNoise', () => {
  it('stays in [0, 1], is smooth, and is the same for the same stream', () => {
    const a = new ValueNoise(DemoRandom.fromSeed(3))
    const b = new ValueNoise(DemoRandom.fromSeed(3))
    const c = new ValueNoise(DemoRandom.fromSeed(4))
    let maxStep = 0
    let differs = false
    for (let i = 0; i < 2000; i++) {
      const x = i * 0.01
      const v = a.fractal(x, 1.7, 3)
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThanOrEqual(1)
      expect(b.fractal(x, 1.7, 3)).toBe(v)
      differs ||= c.fractal(x, 1.7, 3) !== v
      if (i > 0) maxStep = Math.max(maxStep, Math.abs(v - a.fractal(x - 0.01, 1.7, 3)))
    }
    expect(differs).toBe(true)
    // Three octaves, the finest with 4 lattice cells per unit: a 0.01 step moves the value by little.
    expect(maxStep).toBeLessThan(0.05)
  })
})
