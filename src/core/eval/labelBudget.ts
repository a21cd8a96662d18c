import type { LabelBudgetAdvice, LabelBudgetCurve, LabelBudgetEquivalence } from '../../shared/labelBudget'
import { equivalentLabels, fitLearningCurve, scoreAt, type LearningCurve } from './learningCurve'

/** A finished run as the advisor reads it: how many images it had labels for, and its scores. */
export interface BudgetRun {
  method: string
  backbone: string
  labelledImages: number
  final: Record<string, number>
}

/** The method the others are measured against: "cross teaching with N labels ≈ supervised with M". */
const REFERENCE_METHOD = 'supervised'

function logSpace(from: number, to: number, steps: number): number[] {
  const [a, b] = [Math.log(from), Math.log(to)]
  return Array.from({ length: steps }, (_, i) => Math.exp(a + ((b - a) * i) / (steps - 1)))
}

/**
 * The label-budget advisor: per method × backbone, a learning curve over the labelled images of its finished
 * runs (runs without labels, e.g. PiCIE's, have no place on it), what `extra` more labelled images are
 * expected to give, and how many labels the supervised baseline needs to match each other method.
 */
export function labelBudgetAdvice(
  runs: BudgetRun[],
  opts: { task: string; metric: string; extra?: number; replicates?: number },
): LabelBudgetAdvice {
  const groups = new Map<string, { method: string; backbone: string; byN: Map<number, number[]> }>()
  for (const r of runs) {
    const value = r.final[opts.metric]
    if (!Number.isFinite(value) || !(r.labelledImages > 0)) continue
    const key = `${r.method}\u0000${r.backbone}`
    const g = groups.get(key) ?? { method: r.method, backbone: r.backbone, byN: new Map() }
    g.byN.set(r.labelledImages, [...(g.byN.get(r.labelledImages) ?? []), value])
    groups.set(key, g)
  }
  const maxN = Math.max(1, ...runs.map((r) => r.labelledImages))
  const extra = opts.extra ?? Math.max(1, Math.round(maxN / 2))
  const fits = new Map<string, LearningCurve>()
  const curves = [...groups.entries()].map(([key, g]): LabelBudgetCurve => {
    const points = [...g.byN.entries()].map(([n, values]) => ({ n, values })).sort((a, b) => a.n - b.n)
    const base = { method: g.method, backbone: g.backbone, points }
    const fitted = fitLearningCurve(points, { replicates: opts.replicates ?? 200 })
    if ('refused' in fitted)
      return { ...base, refused: fitted.refused, fit: null, curve: [], now: null, more: null }
    fits.set(key, fitted)
    const top = points[points.length - 1].n
    const clip = (v: number) => Math.min(1, Math.max(0, v))
    const at = (n: number) => {
      const e = scoreAt(fitted, n)
      return { n, value: clip(e.value), lower: clip(e.lower), upper: clip(e.upper) }
    }
    return {
      ...base,
      refused: null,
      fit: fitted.fit,
      curve: logSpace(points[0].n / 1.5, (top + extra) * 1.2, 40).map((n) => {
        const e = at(n)
        return { n, y: e.value, lower: e.lower, upper: e.upper }
      }),
      now: at(top),
      more: at(top + extra),
    }
  })
  const equivalences: LabelBudgetEquivalence[] = []
  for (const [refKey, ref] of fits) {
    const refGroup = groups.get(refKey)!
    if (refGroup.method !== REFERENCE_METHOD) continue
    const refTop = Math.max(...ref.points.map((p) => p.n))
    for (const [key, curve] of fits) {
      const g = groups.get(key)!
      if (g.method === REFERENCE_METHOD) continue
      for (const p of curve.points) {
        const e = equivalentLabels(curve, p.n, ref)
        const finite = (v: number) => (Number.isFinite(v) ? v : null)
        const labels = { value: finite(e.value), lower: finite(e.lower), upper: finite(e.upper) }
        equivalences.push({
          method: g.method,
          backbone: g.backbone,
          n: p.n,
          reference: { method: refGroup.method, backbone: refGroup.backbone },
          labels,
          extrapolated: labels.value === null || labels.value > 2 * refTop,
        })
      }
    }
  }
  return { task: opts.task, metric: opts.metric, extra, curves, equivalences }
}
