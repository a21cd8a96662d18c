/**
 * Foreground IoU (Jaccard) and Dice of segmentation masks, from the pixel confusion of one image.
 * Foreground is every class index above 0, so a multi-class mask is scored as "any tissue" vs background.
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
  perImage: SegmentationScore[]
  /** Mean of the per-image scores (each image counts once, whatever its size; empty-vs-empty scores 1). */
  meanIou: number
  meanDice: number
  /**
   * The paper's supervised figures (DEDL, Segmentation.ipynb: smp.metrics.iou_score(..., reduction="micro")):
   * TP, FP and FN summed over the whole split, then one foreground IoU = TP / (TP + FP + FN).
   */
  datasetIou: number
  /** Dice from the same sums: 2TP / (2TP + FP + FN). */
  datasetDice: number
  /**
   * The PiCIE fork's figure (Shra1-25/PiCIE utils.py get_result_metrics): background and foreground IoU
   * from one whole-split histogram, averaged (nanmean: a class absent from prediction and truth is skipped).
   */
  twoClassMeanIou: number
  /** The pixel sums behind the dataset-level scores. */
  total: ForegroundConfusion
}

/**
 * A split's scores as run metrics, under `prefix` (test, val, swinTest): the dataset-level IoU and Dice
 * are the headline (`testIou`, `testDice`); the per-image means and the two-class mIoU are kept beside them.
 */
export function splitMetrics(prefix: string, s: SplitScores): Record<string, number> {
  return {
    [`${prefix}Iou`]: s.datasetIou,
    [`${prefix}Dice`]: s.datasetDice,
    [`${prefix}IouPerImage`]: s.meanIou,
    [`${prefix}DicePerImage`]: s.meanDice,
    [`${prefix}MeanIouTwoClass`]: s.twoClassMeanIou,
  }
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

/** Scores a split image by image as predictions arrive, so no split is ever held whole. */
export function splitScorer(): {
  add(pred: ArrayLike<number>, truth: ArrayLike<number>): void
  result(): SplitScores
} {
  const perImage: SegmentationScore[] = []
  const total: ForegroundConfusion = { tp: 0, fp: 0, fn: 0, tn: 0 }
  return {
    add(pred, truth) {
      const c = foregroundConfusion(pred, truth)
      perImage.push({ iou: iouFromConfusion(c), dice: diceFromConfusion(c) })
      total.tp += c.tp
      total.fp += c.fp
      total.fn += c.fn
      total.tn += c.tn
    },
    result() {
      if (perImage.length === 0) throw new Error('Cannot score an empty split: it holds no images with masks')
      const mean = (f: (s: SegmentationScore) => number): number =>
        perImage.reduce((a, s) => a + f(s), 0) / perImage.length
      // Background IoU: background's true positives are tn; its false positives are fn and vice versa.
      const classIou = [
        total.tn / (total.tn + total.fn + total.fp),
        total.tp / (total.tp + total.fp + total.fn),
      ].filter((v) => !Number.isNaN(v))
      return {
        perImage: [...perImage],
        meanIou: mean((s) => s.iou),
        meanDice: mean((s) => s.dice),
        datasetIou: iouFromConfusion(total),
        datasetDice: diceFromConfusion(total),
        twoClassMeanIou: classIou.reduce((a, v) => a + v, 0) / classIou.length,
        total: { ...total },
      }
    },
  }
}

export function scoreSplit(preds: ArrayLike<number>[], truths: ArrayLike<number>[]): SplitScores {
  if (preds.length !== truths.length) {
    throw new Error(`${preds.length} predicted masks for ${truths.length} ground-truth masks`)
  }
  const scorer = splitScorer()
  preds.forEach((p, i) => scorer.add(p, truths[i]))
  return scorer.result()
}
