/**
 * Classification scores on a test split, as the paper reports them (Table 1: F1; ISIC-2017: recall) and
 * as scikit-learn computes them (`precision_recall_fscore_support`, `confusion_matrix`,
 * `multilabel_confusion_matrix`, zero_division = 0), so our numbers and the reference code's agree.
 *
 * - multi-class: one class per image; per-class precision, recall, F1 against the others; a confusion
 *   matrix (rows: true class, columns: predicted class); accuracy.
 * - multi-label: each class is its own yes/no question; a 2×2 matrix per label; "exact match" is the
 *   share of images whose whole label set is right (sklearn's subset accuracy).
 *
 * Macro averages give every class the same weight; weighted averages weight each class by its support
 * (how many test images truly carry it). Both are reported and always named as such.
 */

export type LabelKind = 'multi-class' | 'multi-label'

export interface ClassScores {
  precision: number
  recall: number
  f1: number
  /** Test images that truly carry the class. */
  support: number
}

export interface LabelMatrix {
  tp: number
  fp: number
  fn: number
  tn: number
}

export interface ClassificationScores {
  kind: LabelKind
  classes: number
  images: number
  perClass: ClassScores[]
  f1Macro: number
  f1Weighted: number
  recallMacro: number
  recallWeighted: number
  precisionMacro: number
  precisionWeighted: number
  /** Multi-class: share of images classified right. Multi-label: exact match of the whole label set. */
  accuracy: number
  /** Multi-class only: counts[true][predicted]. */
  confusion: number[][] | null
  /** Multi-label only: one 2×2 matrix per label. */
  labelMatrices: LabelMatrix[] | null
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0)

function fromMatrices(m: LabelMatrix[]): ClassScores[] {
  return m.map(({ tp, fp, fn }) => {
    const precision = ratio(tp, tp + fp)
    const recall = ratio(tp, tp + fn)
    // 2TP / (2TP + FP + FN): the paper's definition, equal to the harmonic mean of P and R.
    return { precision, recall, f1: ratio(2 * tp, 2 * tp + fp + fn), support: tp + fn }
  })
}

function averages(perClass: ClassScores[]) {
  const total = perClass.reduce((s, c) => s + c.support, 0)
  const macro = (k: keyof ClassScores) =>
    ratio(
      perClass.reduce((s, c) => s + c[k], 0),
      perClass.length,
    )
  const weighted = (k: keyof ClassScores) =>
    ratio(
      perClass.reduce((s, c) => s + c[k] * c.support, 0),
      total,
    )
  return {
    f1Macro: macro('f1'),
    f1Weighted: weighted('f1'),
    recallMacro: macro('recall'),
    recallWeighted: weighted('recall'),
    precisionMacro: macro('precision'),
    precisionWeighted: weighted('precision'),
  }
}

function checkClassCount(classes: number): void {
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`classes must be a positive integer, got ${classes}`)
}

/** Scores of one class index per image (truth and prediction in 0..classes−1). */
export function scoreMultiClass(
  truth: readonly number[],
  predicted: readonly number[],
  classes: number,
): ClassificationScores {
  checkClassCount(classes)
  if (truth.length !== predicted.length) {
    throw new Error(`${truth.length} true classes but ${predicted.length} predictions`)
  }
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  truth.forEach((t, i) => {
    const p = predicted[i]
    for (const [name, v] of [
      ['true class', t],
      ['predicted class', p],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= classes)
        throw new Error(`image ${i}: ${name} ${v} is not in 0..${classes - 1}`)
    }
    confusion[t][p]++
  })
  const n = truth.length
  const matrices: LabelMatrix[] = confusion.map((row, c) => {
    const tp = row[c]
    const fn = row.reduce((s, v) => s + v, 0) - tp
    const fp = confusion.reduce((s, r) => s + r[c], 0) - tp
    return { tp, fp, fn, tn: n - tp - fp - fn }
  })
  const perClass = fromMatrices(matrices)
  const correct = confusion.reduce((s, row, c) => s + row[c], 0)
  return {
    kind: 'multi-class',
    classes,
    images: n,
    perClass,
    ...averages(perClass),
    accuracy: ratio(correct, n),
    confusion,
    labelMatrices: null,
  }
}

/** Scores of a yes/no per class per image (rows of 0/1, one per image). */
export function scoreMultiLabel(
  truth: readonly (readonly number[])[],
  predicted: readonly (readonly number[])[],
  classes: number,
): ClassificationScores {
  checkClassCount(classes)
  if (truth.length !== predicted.length) {
    throw new Error(`${truth.length} true label sets but ${predicted.length} predictions`)
  }
  const matrices: LabelMatrix[] = Array.from({ length: classes }, () => ({ tp: 0, fp: 0, fn: 0, tn: 0 }))
  let exact = 0
  truth.forEach((t, i) => {
    const p = predicted[i]
    if (t.length !== classes || p.length !== classes) {
      throw new Error(
        `image ${i}: expected ${classes} labels, got ${t.length} true and ${p.length} predicted`,
      )
    }
    let allRight = true
    for (let c = 0; c < classes; c++) {
      const yes = t[c] > 0
      const said = p[c] > 0
      const m = matrices[c]
      if (yes && said) m.tp++
      else if (!yes && said) m.fp++
      else if (yes && !said) m.fn++
      else m.tn++
      if (yes !== said) allRight = false
    }
    if (allRight) exact++
  })
  const perClass = fromMatrices(matrices)
  return {
    kind: 'multi-label',
    classes,
    images: truth.length,
    perClass,
    ...averages(perClass),
    accuracy: ratio(exact, truth.length),
    confusion: null,
    labelMatrices: matrices,
  }
}

/** Where a multi-label classifier says yes: the usual 0.5 on its sigmoid (scoring and predictions alike). */
export const MULTI_LABEL_THRESHOLD = 0.5

/**
 * The classes a classifier predicts for one image from its probabilities: the most probable class
 * (multi-class), or every label whose probability reaches the threshold (multi-label; none is an answer).
 */
export function predictedClasses(kind: LabelKind, probabilities: ArrayLike<number>): number[] {
  const p = Array.from(probabilities)
  if (kind === 'multi-class') return p.length ? [p.reduce((best, v, c) => (v > p[best] ? c : best), 0)] : []
  return p.flatMap((v, c) => (v >= MULTI_LABEL_THRESHOLD ? [c] : []))
}

/**
 * Scores from a model's per-image class probabilities (row-major [images × classes]) and targets of the
 * same shape (one-hot for multi-class, 0/1 per label for multi-label). Multi-class predicts the most
 * probable class; multi-label says yes where the probability reaches `threshold`.
 */
export function scoreProbabilities(
  kind: LabelKind,
  targets: Float32Array,
  probabilities: Float32Array,
  classes: number,
  threshold = MULTI_LABEL_THRESHOLD,
): ClassificationScores {
  checkClassCount(classes)
  if (targets.length !== probabilities.length || targets.length % classes !== 0) {
    throw new Error(
      `targets (${targets.length}) and probabilities (${probabilities.length}) must both be images × ${classes}`,
    )
  }
  const n = targets.length / classes
  const rows = (a: Float32Array) =>
    Array.from({ length: n }, (_, i) => a.subarray(i * classes, (i + 1) * classes))
  if (kind === 'multi-class') {
    const argmax = (r: Float32Array) => r.reduce((best, v, c) => (v > r[best] ? c : best), 0)
    return scoreMultiClass(rows(targets).map(argmax), rows(probabilities).map(argmax), classes)
  }
  return scoreMultiLabel(
    rows(targets).map((r) => Array.from(r, (v) => (v > 0.5 ? 1 : 0))),
    rows(probabilities).map((r) => Array.from(r, (v) => (v >= threshold ? 1 : 0))),
    classes,
  )
}

/**
 * The scores as a run's flat metrics, what the results pane, the CLI's summary over seeds and the
 * database read: `testF1Macro`, `testF1Weighted`, `testRecallMacro`, …; per class `testF1.<class>`;
 * multi-class counts `testConfusion.<true class>→<predicted class>`; multi-label 2×2 counts
 * `testMatrix.<class>.tp|fp|fn|tn`.
 */
export function scoreMetrics(
  s: ClassificationScores,
  subset: string,
  classNames?: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {
    [`${subset}F1Macro`]: s.f1Macro,
    [`${subset}F1Weighted`]: s.f1Weighted,
    [`${subset}RecallMacro`]: s.recallMacro,
    [`${subset}RecallWeighted`]: s.recallWeighted,
    [`${subset}PrecisionMacro`]: s.precisionMacro,
    [`${subset}PrecisionWeighted`]: s.precisionWeighted,
    [`${subset}Accuracy`]: s.accuracy,
  }
  s.perClass.forEach((c, i) => {
    const name = classNames?.[i] ?? String(i)
    out[`${subset}Precision.${name}`] = c.precision
    out[`${subset}Recall.${name}`] = c.recall
    out[`${subset}F1.${name}`] = c.f1
  })
  const name = (i: number) => classNames?.[i] ?? String(i)
  s.confusion?.forEach((row, t) =>
    row.forEach((count, p) => {
      out[`${subset}Confusion.${name(t)}→${name(p)}`] = count
    }),
  )
  s.labelMatrices?.forEach((m, c) => {
    for (const k of ['tp', 'fp', 'fn', 'tn'] as const) out[`${subset}Matrix.${name(c)}.${k}`] = m[k]
  })
  return out
}
