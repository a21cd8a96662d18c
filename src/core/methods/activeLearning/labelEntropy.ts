import type { LabelKind } from '../../eval/classificationScores'

/**
 * How unsure a classifier is about one image, from its class probabilities, in nats (the image-level
 * counterpart of uncertaintyMeasures.ts `pixelEntropy`; Settles 2009, §3.1):
 * - multi-class (one softmax): −Σ_c p_c ln p_c, 0 when sure, ln C when every class is as likely;
 * - multi-label (one sigmoid per label): the mean over labels of −p ln p − (1−p) ln(1−p), 0 when sure
 *   of every label, ln 2 when every label is a coin toss.
 */
export function labelEntropy(probabilities: ArrayLike<number>, kind: LabelKind): number {
  const n = probabilities.length
  if (n === 0) throw new Error('Entropy of no classes')
  // 0 · ln 0 is 0.
  const h = (p: number) => (p > 0 ? -p * Math.log(p) : 0)
  let sum = 0
  for (let c = 0; c < n; c++) {
    const p = Math.min(1, Math.max(0, probabilities[c]))
    sum += kind === 'multi-class' ? h(p) : h(p) + h(1 - p)
  }
  return kind === 'multi-class' ? sum : sum / n
}

/** The most entropy can be: ln C for C classes, ln 2 per label. */
export function mostLabelEntropy(classes: number, kind: LabelKind): number {
  return kind === 'multi-class' ? Math.log(classes) : Math.log(2)
}
