/**
 * The best constant answer on a classification run's test images, scored from the counts the run stored
 * (core/eval/classificationScores.ts `scoreMetrics`): what its F1 (macro) must beat before it means
 * anything. The results pane and the CLI show it beside the run's own score.
 *
 * Multi-class (`testConfusion.<true>→<predicted>`): always answering one class scores F1 2p/(1 + p) on
 * that class (p its share of the images) and 0 on the others, so the best constant answer is the most
 * common class, at F1 (macro) 2p/(1 + p)/C.
 * Multi-label (`testMatrix.<label>.tp|fp|fn|tn`): per label, "yes" scores 2p/(1 + p) and "no" scores 0
 * (zero_division 0, as our scores), so the best constant answer is yes to every label.
 */
export interface TrivialAnswer {
  /** As a sentence part: "always answering “nevus”", "answering yes to every label". */
  answer: string
  f1Macro: number
}

export function trivialAnswer(final: Record<string, number>, subset = 'test'): TrivialAnswer | null {
  const confusion = `${subset}Confusion.`
  const matrix = `${subset}Matrix.`
  const truth = new Map<string, number>()
  const classes = new Set<string>()
  const positives = new Map<string, { pos: number; all: number }>()
  for (const [key, value] of Object.entries(final)) {
    if (key.startsWith(confusion)) {
      const [t, p] = key.slice(confusion.length).split('→')
      // split always gives the true class; a key without '→' has no predicted one.
      if (p === undefined) continue
      classes.add(t).add(p)
      truth.set(t, (truth.get(t) ?? 0) + value)
    } else if (key.startsWith(matrix)) {
      const rest = key.slice(matrix.length)
      const dot = rest.lastIndexOf('.')
      const name = rest.slice(0, dot)
      const cell = rest.slice(dot + 1)
      const entry = positives.get(name) ?? { pos: 0, all: 0 }
      if (cell === 'tp' || cell === 'fn') entry.pos += value
      // The four cells of a label's 2×2 add up to the test images.
      entry.all += value
      positives.set(name, entry)
    }
  }
  if (classes.size) {
    const total = [...truth.values()].reduce((a, b) => a + b, 0)
    if (!(total > 0)) return null
    const [majority, count] = [...truth.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]
    const p = count / total
    return { answer: `always answering “${majority}”`, f1Macro: (2 * p) / (1 + p) / classes.size }
  }
  if (positives.size) {
    // Every label's 2×2 counts the same test images: none, no answer.
    if (!([...positives.values()][0].all > 0)) return null
    const f1 = [...positives.values()].map(({ pos, all }) => (2 * pos) / (pos + all))
    return { answer: 'answering yes to every label', f1Macro: f1.reduce((a, b) => a + b, 0) / f1.length }
  }
  return null
}
