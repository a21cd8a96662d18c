/**
 * A classification run's stored final scores (see core/eval/classificationScores.ts `scoreMetrics`) read
 * back for the results pane and the best constant answer (trivialAnswer.ts): per-class precision, recall
 * and F1, and the confusion matrix (multi-class, `testConfusion.<true>→<predicted>`) or one 2×2 matrix per
 * label (multi-label, `testMatrix.<class>.tp`).
 */
export interface ClassRow {
  name: string
  precision: number
  recall: number
  f1: number
}

export interface ClassificationDetail {
  classes: ClassRow[]
  /** Multi-class: class names and counts[true][predicted]. */
  confusion: { names: string[]; counts: number[][] } | null
  /** Multi-label: one 2×2 per label. */
  labelMatrices: { name: string; tp: number; fp: number; fn: number; tn: number }[] | null
}

export function classificationDetail(final: Record<string, number>, subset = 'test'): ClassificationDetail {
  const perClass = new Map<string, Partial<ClassRow>>()
  const confusion = new Map<string, Map<string, number>>()
  const matrices = new Map<string, Record<string, number>>()
  const order: string[] = []
  const see = (name: string) => {
    if (!order.includes(name)) order.push(name)
  }
  for (const [key, value] of Object.entries(final)) {
    for (const score of ['Precision', 'Recall', 'F1'] as const) {
      const head = `${subset}${score}.`
      if (key.startsWith(head)) {
        const name = key.slice(head.length)
        see(name)
        const row = perClass.get(name) ?? { name }
        row[score === 'F1' ? 'f1' : score === 'Precision' ? 'precision' : 'recall'] = value
        perClass.set(name, row)
      }
    }
    const c = `${subset}Confusion.`
    if (key.startsWith(c)) {
      const [t, p] = key.slice(c.length).split('→')
      if (t !== undefined && p !== undefined) {
        see(t)
        const row = confusion.get(t) ?? new Map<string, number>()
        row.set(p, value)
        confusion.set(t, row)
      }
    }
    const m = `${subset}Matrix.`
    if (key.startsWith(m)) {
      const rest = key.slice(m.length)
      const dot = rest.lastIndexOf('.')
      const name = rest.slice(0, dot)
      see(name)
      const entry = matrices.get(name) ?? {}
      entry[rest.slice(dot + 1)] = value
      matrices.set(name, entry)
    }
  }
  return {
    classes: order
      .filter((n) => perClass.has(n))
      .map((n) => ({ precision: NaN, recall: NaN, f1: NaN, ...perClass.get(n), name: n }) as ClassRow),
    confusion: confusion.size
      ? { names: order, counts: order.map((t) => order.map((p) => confusion.get(t)?.get(p) ?? 0)) }
      : null,
    labelMatrices: matrices.size
      ? order
          .filter((n) => matrices.has(n))
          .map((name) => {
            const e = matrices.get(name)!
            return { name, tp: e.tp ?? 0, fp: e.fp ?? 0, fn: e.fn ?? 0, tn: e.tn ?? 0 }
          })
      : null,
  }
}
