import { describe, expect, it } from 'vitest'
import reference from './fixtures/learningCurve.json'
import {
  equivalentLabels,
  fitLearningCurve,
  fitPowerLaw,
  labelsFor,
  powerLawAt,
  scoreAt,
  type LearningCurve,
  type PowerLaw,
} from './learningCurve'

const curveOf = (f: PowerLaw, ns: number[], seeds = 1) =>
  ns.map((n) => ({ n, values: Array.from({ length: seeds }, () => powerLawAt(f, n)) }))

function fitted(points: { n: number; values: number[] }[]): LearningCurve {
  const c = fitLearningCurve(points, { replicates: 100 })
  if ('refused' in c) throw new Error(c.refused)
  return c
}

describe('inverse power-law learning curve', () => {
  it('recovers a hand-made curve exactly when there is no noise', () => {
    const truth = { a: 0.85, b: 0.6, c: 0.5 }
    const pts = curveOf(truth, [5, 10, 20, 40, 80])
    const f = fitPowerLaw(
      pts.map((p) => p.n),
      pts.map((p) => p.values[0]),
    )
    expect(f.a).toBeCloseTo(0.85, 6)
    expect(f.b).toBeCloseTo(0.6, 6)
    expect(f.c).toBeCloseTo(0.5, 6)
  })

  it('finds the least-squares fit numpy finds on a noisy curve with five seeds per budget', () => {
    const ns = reference.points.flatMap((p) => p.values.map(() => p.n))
    const ys = reference.points.flatMap((p) => p.values)
    const f = fitPowerLaw(ns, ys)
    expect(f.a).toBeCloseTo(reference.fit.a, 4)
    expect(f.b).toBeCloseTo(reference.fit.b, 4)
    expect(f.c).toBeCloseTo(reference.fit.c, 4)
    const sse = ys.reduce((s, y, i) => s + (y - powerLawAt(f, ns[i])) ** 2, 0)
    expect(sse).toBeLessThanOrEqual(reference.fit.sse * (1 + 1e-9))
  })

  it('gives an interval from the seeds that holds the truth and narrows with less seed noise', () => {
    const curve = fitted(reference.points)
    const at = scoreAt(curve, 128)
    const truth = powerLawAt(reference.truth, 128)
    expect(at.lower).toBeLessThan(truth)
    expect(at.upper).toBeGreaterThan(truth)
    expect(at.lower).toBeLessThan(at.value)
    expect(at.upper).toBeGreaterThan(at.value)
    // The same means with a tenth of the scatter around them.
    const quiet = reference.points.map((p) => {
      const mean = p.values.reduce((s, v) => s + v, 0) / p.values.length
      return { n: p.n, values: p.values.map((v) => mean + (v - mean) / 10) }
    })
    const narrow = scoreAt(fitted(quiet), 128)
    expect(narrow.upper - narrow.lower).toBeLessThan((at.upper - at.lower) / 3)
  })

  it('refuses with fewer than three label budgets', () => {
    const two = curveOf({ a: 0.8, b: 0.5, c: 0.5 }, [10, 20], 3)
    expect(fitLearningCurve(two)).toEqual({
      refused: 'needs finished runs at 3 or more label fractions to fit a learning curve; has 2',
    })
    expect(() => fitPowerLaw([1, 1, 2], [0.1, 0.2, 0.3])).toThrow(/3 or more label budgets, got 2/)
  })

  it('says how many labels the reference method needs to match another', () => {
    // Supervised: a − b·n^−c. "Semi-supervised" scores with n labels what supervised scores with 2n.
    const supervised = { a: 0.8, b: 0.7, c: 0.5 }
    const ns = [5, 10, 20, 40]
    const semi = ns.map((n) => ({
      n,
      values: [powerLawAt(supervised, 2 * n), powerLawAt(supervised, 2 * n)],
    }))
    const ref = fitted(curveOf(supervised, ns, 2))
    const eq = equivalentLabels(fitted(semi), 10, ref)
    expect(eq.value).toBeCloseTo(20, 3)
    expect(labelsFor(supervised, 0.9)).toBe(Infinity)
    expect(labelsFor(supervised, powerLawAt(supervised, 7))).toBeCloseTo(7, 9)
  })

  it('is flat, not falling, when more labels do not help', () => {
    const f = fitPowerLaw([5, 10, 20, 40], [0.7, 0.65, 0.6, 0.55])
    expect(f.b).toBe(0)
    expect(f.a).toBeCloseTo(0.625, 12)
  })
})
