import { classMetricName } from '../../shared/classMetric'

/**
 * IoU (Jaccard) and Dice of segmentation masks. A binary project (background and one mask class) is scored
 * on foreground vs background, every class index above 0 counting as foreground. A project with several mask
 * classes (tumour, stroma, necrosis…) is scored per class, one against the rest, and the headline is the mean
 * over its mask classes (background excluded), so binary is the special case of one class.
 */

export interface ForegroundConfusion {
  tp: number
  fp: number
  fn: number
  tn: number
}

export interface SegmentationScore {
  iou: number
  dice: number
}

export interface SplitScores {
  /** Classes including background (2 for a binary project). */
  classes: number
  perImage: SegmentationScore[]
  /**
   * Mean of the per-image scores (each image counts once, whatever its size; empty-vs-empty scores 1).
   * With several mask classes an image's score is the mean over the classes in its truth or prediction.
   */
  meanIou: number
  meanDice: number
  /**
   * The paper's supervised figures (DEDL, Segmentation.ipynb: smp.metrics.iou_score(..., reduction="micro")):
   * TP, FP and FN summed over the whole split, then one foreground IoU = TP / (TP + FP + FN). With several
   * mask classes: each class's IoU from its own split-wide sums, averaged over the mask classes (a class
   * absent from both truth and prediction in the whole split is skipped; with none left it is 1).
   */
  datasetIou: number
  /** Dice from the same sums: 2TP / (2TP + FP + FN) (per class, then the mean, with several classes). */
  datasetDice: number
  /**
   * The PiCIE fork's figure (Shra1-25/PiCIE utils.py get_result_metrics): every class's IoU, background
   * included, from one whole-split histogram, averaged (nanmean: a class absent from prediction and truth
   * is skipped). For a binary project: the mean of background and foreground IoU.
   */
  twoClassMeanIou: number
  /**
   * Dataset-level IoU and Dice of each mask class, value 1 first (perClass[k − 1] is class k); NaN for a
   * class absent from both truth and prediction in the whole split. One entry for a binary project.
   */
  perClass: SegmentationScore[]
  /** confusion[truth][predicted] pixel counts over the whole split. */
  confusion: number[][]
  /** The foreground-vs-background pixel sums (any mask class counts as foreground). */
  total: ForegroundConfusion
}

/**
 * A split's scores as run metrics, under `prefix` (test, val, swinTest): the dataset-level IoU and Dice
 * are the headline (`testIou`, `testDice`); the per-image means and the two-class mIoU are kept beside them.
 * With several mask classes the headline is their mean, each class's scores are stored under its name
 * (`testIou:tumour`, `testDice:tumour`; a class absent from the split is left out) and the mIoU over all
 * classes with background is `testMeanIouWithBackground`. `classNames[k]` names class value k (0 is
 * background); a class without a name is `class k`.
 */
export function splitMetrics(
  prefix: string,
  s: SplitScores,
  classNames: readonly string[] = [],
): Record<string, number> {
  const headline = {
    [`${prefix}Iou`]: s.datasetIou,
    [`${prefix}Dice`]: s.datasetDice,
    [`${prefix}IouPerImage`]: s.meanIou,
    [`${prefix}DicePerImage`]: s.meanDice,
  }
  if (s.classes <= 2) return { ...headline, [`${prefix}MeanIouTwoClass`]: s.twoClassMeanIou }
  const out: Record<string, number> = { ...headline, [`${prefix}MeanIouWithBackground`]: s.twoClassMeanIou }
  s.perClass.forEach((c, i) => {
    if (Number.isNaN(c.iou)) return
    const name = classNames[i + 1] ?? `class ${i + 1}`
    out[classMetricName(`${prefix}Iou`, name)] = c.iou
    out[classMetricName(`${prefix}Dice`, name)] = c.dice
  })
  return out
}

export function foregroundConfusion(pred: ArrayLike<number>, truth: ArrayLike<number>): ForegroundConfusion {
  if (pred.length !== truth.length) {
    throw new Error(`Prediction has ${pred.length} pixels but the ground-truth mask has ${truth.length}`)
  }
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i] > 0
    const t = truth[i] > 0
    if (p && t) tp++
    else if (p) fp++
    else if (t) fn++
    else tn++
  }
  return { tp, fp, fn, tn }
}

/** An image with no foreground in either mask is a perfect 1: there was nothing to find and nothing was found. */
export function iouFromConfusion(c: ForegroundConfusion): number {
  const denominator = c.tp + c.fp + c.fn
  return denominator === 0 ? 1 : c.tp / denominator
}

export function diceFromConfusion(c: ForegroundConfusion): number {
  const denominator = 2 * c.tp + c.fp + c.fn
  return denominator === 0 ? 1 : (2 * c.tp) / denominator
}

export function iou(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  return iouFromConfusion(foregroundConfusion(pred, truth))
}

export function dice(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  return diceFromConfusion(foregroundConfusion(pred, truth))
}

/** Pixel counts of `pred` against `truth` as confusion[truth][predicted]; binary maps any class > 0 to 1. */
function addConfusion(
  into: Float64Array,
  classes: number,
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
): void {
  if (pred.length !== truth.length) {
    throw new Error(`Prediction has ${pred.length} pixels but the ground-truth mask has ${truth.length}`)
  }
  for (let i = 0; i < pred.length; i++) {
    let p = pred[i]
    let t = truth[i]
    if (classes === 2) {
      p = p > 0 ? 1 : 0
      t = t > 0 ? 1 : 0
    } else if (!(p >= 0 && p < classes && t >= 0 && t < classes)) {
      const bad = p >= 0 && p < classes ? `ground-truth class ${t}` : `predicted class ${p}`
      throw new Error(`Pixel ${i} has ${bad}; this project's masks hold classes 0..${classes - 1}`)
    }
    into[t * classes + p]++
  }
}

/** Class k against the rest: IoU and Dice from a confusion matrix; NaN when k is in neither truth nor prediction. */
function classScore(m: Float64Array, classes: number, k: number): SegmentationScore {
  let truth = 0
  let predicted = 0
  for (let j = 0; j < classes; j++) {
    truth += m[k * classes + j]
    predicted += m[j * classes + k]
  }
  const tp = m[k * classes + k]
  const union = truth + predicted - tp
  return union === 0 ? { iou: NaN, dice: NaN } : { iou: tp / union, dice: (2 * tp) / (truth + predicted) }
}

/** The mean of the mask classes' scores, skipping absent classes; 1 when none is present (nothing to find). */
function meanOverMaskClasses(m: Float64Array, classes: number): SegmentationScore {
  const present = Array.from({ length: classes - 1 }, (_, i) => classScore(m, classes, i + 1)).filter(
    (s) => !Number.isNaN(s.iou),
  )
  if (present.length === 0) return { iou: 1, dice: 1 }
  return {
    iou: present.reduce((a, s) => a + s.iou, 0) / present.length,
    dice: present.reduce((a, s) => a + s.dice, 0) / present.length,
  }
}

/**
 * Scores a split image by image as predictions arrive, so no split is ever held whole. `classes` counts
 * background: 2 (the default) scores foreground vs background, more scores each mask class.
 */
export function splitScorer(classes = 2): {
  add(pred: ArrayLike<number>, truth: ArrayLike<number>): void
  result(): SplitScores
} {
  if (!Number.isInteger(classes) || classes < 2 || classes > 256)
    throw new Error(`A segmentation is scored over 2..256 classes (background included), not ${classes}`)
  const perImage: SegmentationScore[] = []
  const sum = new Float64Array(classes * classes)
  const image = new Float64Array(classes * classes)
  return {
    add(pred, truth) {
      image.fill(0)
      addConfusion(image, classes, pred, truth)
      perImage.push(meanOverMaskClasses(image, classes))
      for (let i = 0; i < sum.length; i++) sum[i] += image[i]
    },
    result() {
      if (perImage.length === 0) throw new Error('Cannot score an empty split: it holds no images with masks')
      const mean = (f: (s: SegmentationScore) => number): number =>
        perImage.reduce((a, s) => a + f(s), 0) / perImage.length
      const all = Array.from({ length: classes }, (_, k) => classScore(sum, classes, k).iou).filter(
        (v) => !Number.isNaN(v),
      )
      const headline = meanOverMaskClasses(sum, classes)
      const confusion = Array.from({ length: classes }, (_, t) =>
        Array.from(sum.subarray(t * classes, (t + 1) * classes)),
      )
      let fgTruth = 0
      let fgPred = 0
      for (let k = 1; k < classes; k++) {
        fgTruth += confusion[k].reduce((a, v) => a + v, 0)
        fgPred += confusion.reduce((a, row) => a + row[k], 0)
      }
      const tn = confusion[0][0]
      const bgTruth = confusion[0].reduce((a, v) => a + v, 0)
      const fp = bgTruth - tn
      const tp = fgPred - fp
      return {
        classes,
        perImage: [...perImage],
        meanIou: mean((s) => s.iou),
        meanDice: mean((s) => s.dice),
        datasetIou: headline.iou,
        datasetDice: headline.dice,
        twoClassMeanIou: all.reduce((a, v) => a + v, 0) / all.length,
        perClass: Array.from({ length: classes - 1 }, (_, i) => classScore(sum, classes, i + 1)),
        confusion,
        total: { tp, fp, fn: fgTruth - tp, tn },
      }
    },
  }
}

export function scoreSplit(
  preds: ArrayLike<number>[],
  truths: ArrayLike<number>[],
  classes = 2,
): SplitScores {
  if (preds.length !== truths.length) {
    throw new Error(`${preds.length} predicted masks for ${truths.length} ground-truth masks`)
  }
  const scorer = splitScorer(classes)
  preds.forEach((p, i) => scorer.add(p, truths[i]))
  return scorer.result()
}
