import { describe, expect, it } from 'vitest'
import { labelBudgetAdvice, type BudgetRun } from './labelBudget'
import { powerLawAt } from './learningCurve'

const supervised = { a: 0.8, b: 0.7, c: 0.5 }
const wobble = [-0.01, 0, 0.01]
const runs: BudgetRun[] = [
  // Supervised at 5, 10, 20, 40 labelled images, three seeds each around its curve.
  ...[5, 10, 20, 40].flatMap((n) =>
    wobble.map((w) => ({
      method: 'supervised',
      backbone: 'U-Net',
      labelledImages: n,
      final: { testIou: powerLawAt(supervised, n) + w, kmeansLoss: 3 },
    })),
  ),
  // Cross teaching scores with n labels what supervised scores with 2n.
  ...[5, 10, 20].flatMap((n) =>
    wobble.map((w) => ({
      method: 'cross-teaching',
      backbone: 'U-Net + Swin-UNet',
      labelledImages: n,
      final: { testIou: powerLawAt(supervised, 2 * n) + w },
    })),
  ),
  // Two budgets only, and an unsupervised method without labels.
  ...[10, 20].map((n) => ({ method: 'other', backbone: 'X', labelledImages: n, final: { testIou: 0.5 } })),
  { method: 'picie', backbone: 'FPN', labelledImages: 0, final: { testIou: 0.3 } },
]

describe('label-budget advisor', () => {
  const advice = labelBudgetAdvice(runs, {
    task: 'segmentation',
    metric: 'testIou',
    extra: 20,
    replicates: 100,
  })
  const curve = (m: string) => advice.curves.find((c) => c.method === m)!

  it('forecasts what more labels give from the fitted curve, with an interval', () => {
    const s = curve('supervised')
    expect(s.refused).toBeNull()
    expect(s.now!.n).toBe(40)
    expect(s.more!.n).toBe(60)
    expect(s.now!.value).toBeCloseTo(powerLawAt(supervised, 40), 2)
    expect(s.more!.value).toBeCloseTo(powerLawAt(supervised, 60), 2)
    expect(s.more!.lower).toBeLessThan(s.more!.value)
    expect(s.more!.upper).toBeGreaterThan(s.more!.value)
    // The drawn curve spans the measured budgets and the forecast.
    expect(s.curve[0].n).toBeLessThan(5)
    expect(s.curve[s.curve.length - 1].n).toBeGreaterThan(60)
  })

  it('says how many supervised labels match cross teaching', () => {
    const at10 = advice.equivalences.find((e) => e.method === 'cross-teaching' && e.n === 10)!
    expect(at10.reference).toEqual({ method: 'supervised', backbone: 'U-Net' })
    expect(at10.labels.value).toBeGreaterThan(17)
    expect(at10.labels.value).toBeLessThan(23)
    expect(at10.extrapolated).toBe(false)
    expect(advice.equivalences.every((e) => e.method === 'cross-teaching')).toBe(true)
  })

  it('refuses a curve from two label fractions and leaves runs without labels out', () => {
    expect(curve('other').refused).toBe(
      'needs finished runs at 3 or more label fractions to fit a learning curve; has 2',
    )
    expect(curve('other').curve).toEqual([])
    expect(advice.curves.some((c) => c.method === 'picie')).toBe(false)
  })
})
