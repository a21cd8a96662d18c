import { describe, expect, it } from 'vitest'
import { dice, foregroundConfusion, iou, scoreSplit, splitMetrics } from './segmentationScores'

describe('foreground IoU and Dice', () => {
  // pred 1 1 0 0 2 ; truth 1 0 1 0 1 → tp 2 (pixels 0, 4: class 2 counts as foreground), fp 1, fn 1, tn 1
  const pred = [1, 1, 0, 0, 2]
  const truth = [1, 0, 1, 0, 1]
  it('counts the confusion of foreground against background', () => {
    expect(foregroundConfusion(pred, truth)).toEqual({ tp: 2, fp: 1, fn: 1, tn: 1 })
  })
  it('matches hand-computed values', () => {
    expect(iou(pred, truth)).toBeCloseTo(2 / 4, 12)
    expect(dice(pred, truth)).toBeCloseTo(4 / 6, 12)
  })
  it('scores all-background and all-foreground predictions as the baselines they are', () => {
    const t = [0, 0, 0, 1, 1, 0, 0, 0]
    expect(iou(new Array(8).fill(0), t)).toBe(0)
    expect(iou(new Array(8).fill(1), t)).toBeCloseTo(2 / 8, 12)
    expect(dice(new Array(8).fill(1), t)).toBeCloseTo(4 / 10, 12)
  })
  it('gives 1 when neither mask has foreground', () => {
    expect(iou([0, 0], [0, 0])).toBe(1)
    expect(dice([0, 0], [0, 0])).toBe(1)
  })
  it('averages per image, not per pixel', () => {
    const s = scoreSplit([[1, 1, 1, 1], [1]], [[1, 1, 1, 1], [0]])
    expect(s.perImage.map((p) => p.iou)).toEqual([1, 0])
    expect(s.meanIou).toBe(0.5)
    expect(s.meanDice).toBe(0.5)
  })
  it('rejects masks of different sizes', () => {
    expect(() => iou([1, 0], [1])).toThrow(/2 pixels.*1/)
  })
})

describe('IoU of a whole split, three ways', () => {
  // image 1: tp 1 fp 1 fn 0 tn 2 · image 2: empty vs empty, tn 4 · image 3: tp 2 fp 2 fn 1 tn 1
  const preds = [
    [1, 1, 0, 0],
    [0, 0, 0, 0],
    [1, 0, 1, 1, 1, 0],
  ]
  const truths = [
    [1, 0, 0, 0],
    [0, 0, 0, 0],
    [1, 1, 1, 0, 0, 0],
  ]
  const s = scoreSplit(preds, truths)
  it('dataset-level, as DEDL reports it: TP, FP, FN summed over the split (micro)', () => {
    expect(s.total).toEqual({ tp: 3, fp: 3, fn: 1, tn: 7 })
    expect(s.datasetIou).toBeCloseTo(3 / 7, 12)
    expect(s.datasetDice).toBeCloseTo(6 / 10, 12)
  })
  it('per image, each image once, empty-vs-empty scoring 1', () => {
    expect(s.meanIou).toBeCloseTo((1 / 2 + 1 + 2 / 5) / 3, 12)
    expect(s.meanDice).toBeCloseTo((2 / 3 + 1 + 4 / 7) / 3, 12)
  })
  it('two-class mIoU, as the PiCIE fork reports it: background and foreground IoU of one histogram', () => {
    expect(s.twoClassMeanIou).toBeCloseTo((7 / 11 + 3 / 7) / 2, 12)
    // No foreground anywhere: the foreground IoU is NaN and skipped (nanmean), background is perfect.
    expect(scoreSplit([[0, 0]], [[0, 0]]).twoClassMeanIou).toBe(1)
  })
  it('stores the dataset-level scores as the headline and the other two beside them', () => {
    expect(splitMetrics('test', s)).toEqual({
      testIou: s.datasetIou,
      testDice: s.datasetDice,
      testIouPerImage: s.meanIou,
      testDicePerImage: s.meanDice,
      testMeanIouTwoClass: s.twoClassMeanIou,
    })
  })
})

describe('several mask classes: each class scored, then their mean', () => {
  // Classes 0 background, 1 tumour, 2 stroma, 3 necrosis (in neither truth nor prediction).
  const preds = [
    [0, 1, 2, 2, 2, 1],
    [2, 0, 0, 1],
  ]
  const truths = [
    [0, 1, 1, 2, 2, 0],
    [2, 2, 0, 0],
  ]
  const names = ['background', 'tumour', 'stroma', 'necrosis']
  const s = scoreSplit(preds, truths, 4)
  it('sums one confusion matrix over the split', () => {
    expect(s.confusion).toEqual([
      [2, 2, 0, 0],
      [0, 1, 1, 0],
      [1, 0, 3, 0],
      [0, 0, 0, 0],
    ])
  })
  it('scores each class against the rest, dataset-level, by hand', () => {
    // tumour: tp 1, 2 in truth, 3 predicted → IoU 1/4, Dice 2/5; stroma: tp 3, 4 and 4 → 3/5, 6/8.
    expect(s.perClass[0].iou).toBeCloseTo(1 / 4, 12)
    expect(s.perClass[0].dice).toBeCloseTo(2 / 5, 12)
    expect(s.perClass[1].iou).toBeCloseTo(3 / 5, 12)
    expect(s.perClass[1].dice).toBeCloseTo(3 / 4, 12)
    expect(s.perClass[2].iou).toBeNaN()
    // The headline is the mean over the classes present; necrosis (absent everywhere) is skipped.
    expect(s.datasetIou).toBeCloseTo((1 / 4 + 3 / 5) / 2, 12)
    expect(s.datasetDice).toBeCloseTo((2 / 5 + 3 / 4) / 2, 12)
    // With background (tp 2, 4 in truth, 3 predicted → 2/5), as the PiCIE fork's mIoU.
    expect(s.twoClassMeanIou).toBeCloseTo((2 / 5 + 1 / 4 + 3 / 5) / 3, 12)
  })
  it('averages per image over the classes each image shows', () => {
    // image 1: tumour 1/3 (Dice 1/2), stroma 2/3 (Dice 4/5); image 2: tumour 0 (predicted only), stroma 1/2 (2/3).
    expect(s.meanIou).toBeCloseTo((1 / 2 + 1 / 4) / 2, 12)
    expect(s.meanDice).toBeCloseTo(((1 / 2 + 4 / 5) / 2 + (0 + 2 / 3) / 2) / 2, 12)
  })
  it('keeps the any-class-vs-background sums', () => {
    expect(s.total).toEqual({ tp: 5, fp: 2, fn: 1, tn: 2 })
  })
  it('stores each class under its name, and leaves out a class the split never shows', () => {
    const m = splitMetrics('test', s, names)
    expect(m).toEqual({
      testIou: s.datasetIou,
      testDice: s.datasetDice,
      testIouPerImage: s.meanIou,
      testDicePerImage: s.meanDice,
      testMeanIouWithBackground: s.twoClassMeanIou,
      'testIou:tumour': s.perClass[0].iou,
      'testDice:tumour': s.perClass[0].dice,
      'testIou:stroma': s.perClass[1].iou,
      'testDice:stroma': s.perClass[1].dice,
    })
    expect(Object.keys(splitMetrics('val', s))).toContain('valIou:class 2')
  })
  it('does not binarise: stroma painted where tumour is scores 0, not 1', () => {
    const swapped = scoreSplit([[2, 2, 0]], [[1, 1, 0]], 3)
    expect(swapped.perClass.map((c) => c.iou)).toEqual([0, 0])
    expect(swapped.datasetIou).toBe(0)
    // Binarised, the same maps would be a perfect foreground.
    expect(scoreSplit([[2, 2, 0]], [[1, 1, 0]]).datasetIou).toBe(1)
  })
  it('binary is the special case of one mask class', () => {
    const binary = scoreSplit([[1, 1, 0, 0]], [[1, 0, 1, 0]], 2)
    expect(binary.perClass).toEqual([{ iou: 1 / 3, dice: 1 / 2 }])
    expect(binary.datasetIou).toBe(1 / 3)
  })
  it('refuses a class outside the project', () => {
    expect(() => scoreSplit([[0, 3]], [[0, 1]], 3)).toThrow(/predicted class 3.*0\.\.2/)
    expect(() => scoreSplit([[0, 1]], [[0, 5]], 3)).toThrow(/ground-truth class 5/)
  })
})

describe('a three-class split by hand', () => {
  // Truth and prediction per image (4 pixels, classes 0..2); confusion[truth][pred] summed:
  // [[5, 0, 1], [1, 3, 0], [0, 1, 1]].
  const truths = [
    [0, 1, 2, 2],
    [0, 0, 1, 1],
    [0, 1, 0, 0],
  ]
  const preds = [
    [0, 1, 1, 2],
    [0, 0, 1, 1],
    [2, 0, 0, 0],
  ]
  // Scored inside each test, so mutation testing ties the scoring to the tests that check it.
  const scored = () => scoreSplit(preds, truths, 3)

  it('sums one confusion matrix and scores each class against the rest', () => {
    const s = scored()
    expect(s.confusion).toEqual([
      [5, 0, 1],
      [1, 3, 0],
      [0, 1, 1],
    ])
    // class 1: truth 4, predicted 4, tp 3; class 2: truth 2, predicted 2, tp 1.
    expect(s.perClass[0].iou).toBeCloseTo(3 / 5, 12)
    expect(s.perClass[0].dice).toBeCloseTo(6 / 8, 12)
    expect(s.perClass[1].iou).toBeCloseTo(1 / 3, 12)
    expect(s.perClass[1].dice).toBeCloseTo(2 / 4, 12)
    expect(s.datasetIou).toBeCloseTo((3 / 5 + 1 / 3) / 2, 12)
    expect(s.datasetDice).toBeCloseTo((6 / 8 + 2 / 4) / 2, 12)
    // With background (truth 6, predicted 6, tp 5): the mean of 5/7, 3/5 and 1/3.
    expect(s.twoClassMeanIou).toBeCloseTo((5 / 7 + 3 / 5 + 1 / 3) / 3, 12)
  })

  it('averages each image over the classes it shows (image 2 has no class 2; image 3 hits none)', () => {
    const s = scored()
    expect(s.perImage.map((p) => p.iou)).toEqual([0.5, 1, 0])
    expect(s.perImage[0].dice).toBeCloseTo(2 / 3, 12)
    expect(s.meanIou).toBeCloseTo(0.5, 12)
    expect(s.meanDice).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12)
  })

  it('counts any class against background for the foreground totals', () => {
    const s = scored()
    // Foreground truth 6, predicted 6; background predicted as class 2 once, class 1 missed once.
    expect(s.total).toEqual({ tp: 5, fp: 1, fn: 1, tn: 5 })
  })
})

describe('split scores refuse what they cannot score', () => {
  it('scores an image with no mask class in truth or prediction as 1 in the per-image mean', () => {
    const s = scoreSplit(
      [
        [0, 0],
        [0, 1],
      ],
      [
        [0, 0],
        [1, 1],
      ],
      3,
    )
    expect(s.perImage).toEqual([
      { iou: 1, dice: 1 },
      { iou: 0.5, dice: 2 / 3 },
    ])
    expect(s.meanIou).toBeCloseTo(0.75, 12)
  })

  it('binary maps every value above 0 to foreground (masks stored as 0/255)', () => {
    const s = scoreSplit([[0, 1, 0, 3]], [[0, 255, 255, 0]])
    expect(s.total).toEqual({ tp: 1, fp: 1, fn: 1, tn: 1 })
    expect(s.datasetIou).toBeCloseTo(1 / 3, 12)
  })

  it('names a class outside the project, sizes that differ, and empty or uneven splits', () => {
    expect(() => scoreSplit([[0, 5]], [[0, 1]], 3)).toThrow(
      "Pixel 1 has predicted class 5; this project's masks hold classes 0..2",
    )
    expect(() => scoreSplit([[0, 1]], [[3, 1]], 3)).toThrow(
      "Pixel 0 has ground-truth class 3; this project's masks hold classes 0..2",
    )
    expect(() => scoreSplit([[0, 1]], [[7, 1]], 3)).toThrow(
      "Pixel 0 has ground-truth class 7; this project's masks hold classes 0..2",
    )
    expect(() => scoreSplit([[0, 1, 1]], [[0, 1]])).toThrow(
      'Prediction has 3 pixels but the ground-truth mask has 2',
    )
    expect(() => scoreSplit([[0]], [[0], [1]])).toThrow('1 predicted masks for 2 ground-truth masks')
    expect(() => scoreSplit([], [])).toThrow('Cannot score an empty split: it holds no images with masks')
    for (const classes of [1, 257, 2.5]) {
      expect(() => scoreSplit([[0]], [[0]], classes)).toThrow(
        `A segmentation is scored over 2..256 classes (background included), not ${classes}`,
      )
    }
    expect(scoreSplit([[255]], [[255]], 256).datasetIou).toBe(1)
  })
})
