import { classificationDetail } from './classificationDetail'

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
  const { confusion, labelMatrices } = classificationDetail(final, subset)
  if (confusion) {
    const support = confusion.counts.map((row) => row.reduce((a, b) => a + b, 0))
    const total = support.reduce((a, b) => a + b, 0)
    if (!(total > 0)) return null
    // The most common true class; a tie goes to the name first in alphabetical order.
    const [majority, count] = confusion.names
      .map((name, c) => [name, support[c]] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]
    const p = count / total
    return { answer: `always answering “${majority}”`, f1Macro: (2 * p) / (1 + p) / confusion.names.length }
  }
  if (labelMatrices) {
    // Every label's 2×2 counts the same test images: none, no answer.
    const images = labelMatrices[0].tp + labelMatrices[0].fp + labelMatrices[0].fn + labelMatrices[0].tn
    if (!(images > 0)) return null
    const f1 = labelMatrices.map((m) => (2 * (m.tp + m.fn)) / (m.tp + m.fn + images))
    return { answer: 'answering yes to every label', f1Macro: f1.reduce((a, b) => a + b, 0) / f1.length }
  }
  return null
}

/**
 * Whether a stored metric is one the constant answer is scored in: it is chosen for F1 (macro), so only the
 * F1 (macro) of either network is compared with it.
 */
export function comparesWithTrivialAnswer(metric: string): boolean {
  return /^(test|vitTest)F1Macro$/.test(metric)
}
