import { describe, expect, it } from 'vitest'
import { radialDistance, rasteriseShape, type RadialShape } from './lesionShape'

const W = 200
function area(s: RadialShape): { n: number; mask: Uint8Array } {
  const mask = new Uint8Array(W * W)
  return { n: rasteriseShape(s, W, W, mask), mask }
}

describe('radial shapes', () => {
  it('rasterise a circle and an ellipse to area π·r², the ellipse stretched along its angle', () => {
    const circle = { cx: 100, cy: 100, radius: 40, aspect: 1, angle: 0, harmonics: [] }
    expect(area(circle).n / (Math.PI * 1600)).toBeCloseTo(1, 2)
    const { n, mask } = area({ ...circle, aspect: 4 })
    expect(n / (Math.PI * 1600)).toBeCloseTo(1, 2)
    // aspect 4 → semi-axes 2r = 80 along x and r/2 = 20 along y.
    const cols = new Set<number>()
    const rows = new Set<number>()
    mask.forEach((v, i) => {
      if (v) {
        cols.add(i % W)
        rows.add(Math.floor(i / W))
      }
    })
    expect(cols.size).toBe(160)
    expect(rows.size).toBe(40)
  })

  it('follow r(θ) = R·(1 + Σ a·cos(kθ + φ)) at the boundary, with area π·R²·(1 + Σ a²/2)', () => {
    const s: RadialShape = {
      cx: 100,
      cy: 100,
      radius: 40,
      aspect: 1,
      angle: 0,
      harmonics: [
        { k: 3, amp: 0.2, phase: 0 },
        { k: 5, amp: 0.1, phase: Math.PI / 3 },
      ],
    }
    // θ = 0: r = R·(1 + 0.2 + 0.1·cos(π/3)) = 1.25R = 50.
    expect(radialDistance(s, 100 + 50, 100)).toBeCloseTo(1, 6)
    expect(radialDistance(s, 100 + 25, 100)).toBeCloseTo(0.5, 6)
    // θ = π/3: cos(π) = −1 and cos(5π/3 + π/3) = 1, so r = (1 − 0.2 + 0.1)R = 36.
    const th = Math.PI / 3
    expect(radialDistance(s, 100 + 36 * Math.cos(th), 100 + 36 * Math.sin(th))).toBeCloseTo(1, 6)
    expect(radialDistance(s, 100, 100)).toBe(0)
    expect(area(s).n / (Math.PI * 1600 * (1 + 0.04 / 2 + 0.01 / 2))).toBeCloseTo(1, 2)
  })

  it('refuses harmonics out of order (the rotation recurrence needs ascending k)', () => {
    const s: RadialShape = {
      cx: 0,
      cy: 0,
      radius: 1,
      aspect: 1,
      angle: 0,
      harmonics: [
        { k: 4, amp: 0.1, phase: 0 },
        { k: 2, amp: 0.1, phase: 0 },
      ],
    }
    expect(() => radialDistance(s, 1, 1)).toThrow(/ascending k/)
  })
})
