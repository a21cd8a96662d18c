import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  predictedClasses,
  scoreMetrics,
  scoreMultiClass,
  scoreMultiLabel,
  scoreProbabilities,
  type ClassificationScores,
} from './classificationScores'

/** Cases and scikit-learn's answers, from scripts/reference/classification_scores.py. */
interface Case {
  kind: 'multi-class' | 'multi-label'
  classes: number
  truth: number[] | number[][]
  predicted: number[] | number[][]
  macro: { precision: number; recall: number; f1: number }
  weighted: { precision: number; recall: number; f1: number }
  perClass: { precision: number; recall: number; f1: number; support: number }[]
  accuracy: number
  confusion?: number[][]
  labelMatrices?: { tp: number; fp: number; fn: number; tn: number }[]
}

const reference = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../tests/fixtures/eval/classificationScores.json'), 'utf8'),
) as { cases: Case[] }

function scoreCase(c: Case): ClassificationScores {
  return c.kind === 'multi-class'
    ? scoreMultiClass(c.truth as number[], c.predicted as number[], c.classes)
    : scoreMultiLabel(c.truth as number[][], c.predicted as number[][], c.classes)
}

describe('classification scores against scikit-learn', () => {
  it.each(reference.cases.map((c, i) => [`${i}: ${c.kind}, ${c.classes} classes`, c] as const))(
    'case %s',
    (_, c) => {
      const s = scoreCase(c)
      expect(s.f1Macro).toBeCloseTo(c.macro.f1, 12)
      expect(s.f1Weighted).toBeCloseTo(c.weighted.f1, 12)
      expect(s.recallMacro).toBeCloseTo(c.macro.recall, 12)
      expect(s.recallWeighted).toBeCloseTo(c.weighted.recall, 12)
      expect(s.precisionMacro).toBeCloseTo(c.macro.precision, 12)
      expect(s.precisionWeighted).toBeCloseTo(c.weighted.precision, 12)
      expect(s.accuracy).toBeCloseTo(c.accuracy, 12)
      c.perClass.forEach((ref, k) => {
        expect(s.perClass[k].precision).toBeCloseTo(ref.precision, 12)
        expect(s.perClass[k].recall).toBeCloseTo(ref.recall, 12)
        expect(s.perClass[k].f1).toBeCloseTo(ref.f1, 12)
        expect(s.perClass[k].support).toBe(ref.support)
      })
      if (c.confusion) expect(s.confusion).toEqual(c.confusion)
      if (c.labelMatrices) expect(s.labelMatrices).toEqual(c.labelMatrices)
    },
  )

  it('the reference covers a never-predicted class, an absent class and label sets of none and all', () => {
    const kinds = reference.cases.map((c) => c.kind)
    expect(kinds).toContain('multi-class')
    expect(kinds).toContain('multi-label')
    expect(reference.cases.some((c) => c.perClass.some((p) => p.support === 0))).toBe(true)
    expect(reference.cases.some((c) => c.perClass.some((p) => p.precision === 0 && p.support > 0))).toBe(true)
    const ml = reference.cases.find((c) => c.kind === 'multi-label')!.truth as number[][]
    expect(ml.some((r) => r.every((v) => v === 0))).toBe(true)
    expect(ml.some((r) => r.filter((v) => v === 1).length > 1)).toBe(true)
  })
})

describe('classification scores by hand', () => {
  it('multi-class: a 3-class confusion matrix', () => {
    // truth 0 0 1 1 2 2, predicted 0 1 1 1 2 0
    const s = scoreMultiClass([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0], 3)
    expect(s.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ])
    // class 0: P 1/2 R 1/2; class 1: P 2/3 R 1; class 2: P 1 R 1/2
    expect(s.perClass.map((c) => c.f1)).toEqual([0.5, 0.8, 2 / 3].map((v) => expect.closeTo(v, 12)))
    expect(s.f1Macro).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12)
    expect(s.recallMacro).toBeCloseTo((0.5 + 1 + 0.5) / 3, 12)
    expect(s.accuracy).toBeCloseTo(4 / 6, 12)
  })

  it('multi-label: probabilities are thresholded per label; an empty label set that is predicted empty is exact', () => {
    const targets = Float32Array.from([0, 0, 1, 1, 1, 0])
    const probs = Float32Array.from([0.1, 0.2, 0.9, 0.6, 0.4, 0.7])
    const s = scoreProbabilities('multi-label', targets, probs, 2)
    // label 0: tp 1 (img1) fn 1 (img2) → R 1/2; label 1: tp 1, fp 1 → P 1/2
    expect(s.labelMatrices).toEqual([
      { tp: 1, fp: 0, fn: 1, tn: 1 },
      { tp: 1, fp: 1, fn: 0, tn: 1 },
    ])
    expect(s.accuracy).toBeCloseTo(2 / 3, 12)
  })

  it('multi-class probabilities predict the argmax', () => {
    const s = scoreProbabilities(
      'multi-class',
      Float32Array.from([1, 0, 0, 1]),
      Float32Array.from([0.3, 0.7, 0.2, 0.8]),
      2,
    )
    expect(s.confusion).toEqual([
      [0, 1],
      [0, 1],
    ])
  })

  it('flat metrics name their averaging and each class', () => {
    const m = scoreMetrics(scoreMultiClass([0, 1], [0, 1], 2), 'test', ['nevus', 'melanoma'])
    expect(m.testF1Macro).toBe(1)
    expect(m.testF1Weighted).toBe(1)
    expect(m['testRecall.melanoma']).toBe(1)
    expect(m['testConfusion.nevus→nevus']).toBe(1)
    expect(m['testConfusion.nevus→melanoma']).toBe(0)
    const ml = scoreMetrics(scoreMultiLabel([[1, 0]], [[1, 1]], 2), 'test', ['vessel', 'necrosis'])
    expect(ml['testMatrix.necrosis.fp']).toBe(1)
    expect(ml['testMatrix.vessel.tp']).toBe(1)
    // The stored names are what the results pane, the exports and the CLI read: all of them, exactly.
    expect(Object.keys(m).sort()).toEqual(
      [
        'testAccuracy',
        'testF1Macro',
        'testF1Weighted',
        'testPrecisionMacro',
        'testPrecisionWeighted',
        'testRecallMacro',
        'testRecallWeighted',
        ...['nevus', 'melanoma'].flatMap((c) => [`testPrecision.${c}`, `testRecall.${c}`, `testF1.${c}`]),
        ...['nevus', 'melanoma'].flatMap((t) => ['nevus', 'melanoma'].map((p) => `testConfusion.${t}→${p}`)),
      ].sort(),
    )
    expect([scoreMultiClass([0], [0], 1).kind, scoreMultiLabel([[1]], [[1]], 1).kind]).toEqual([
      'multi-class',
      'multi-label',
    ])
    // Without class names, classes are named by index.
    const unnamed = scoreMetrics(scoreMultiClass([0, 1], [0, 1], 2), 'val')
    expect(unnamed['valF1.1']).toBe(1)
    expect(unnamed['valConfusion.0→1']).toBe(0)
  })

  it('rejects out-of-range classes and mismatched lengths, naming the image', () => {
    expect(() => scoreMultiClass([0, 3], [0, 1], 3)).toThrow(/image 1: true class 3/)
    expect(() => scoreMultiClass([0], [0, 1], 3)).toThrow(/1 true classes but 2/)
    expect(() => scoreMultiLabel([[0, 1]], [[0]], 2)).toThrow(/image 0/)
    expect(() => scoreMultiLabel([[0]], [[0, 1]], 2)).toThrow(/image 0/)
    expect(() =>
      scoreMultiLabel(
        [[0, 1]],
        [
          [0, 1],
          [1, 1],
        ],
        2,
      ),
    ).toThrow(/1 true label sets but 2 predictions/)
    expect(() => scoreMultiClass([-1], [0], 2)).toThrow(/image 0: true class -1 is not in 0..1/)
    expect(() => scoreMultiClass([0.5], [0], 2)).toThrow(/true class 0.5/)
    expect(() => scoreMultiClass([0], [0], 0)).toThrow(/classes/)
    expect(() => scoreMultiClass([0], [0], 1.5)).toThrow(/classes/)
    // One label is a project that can exist (is there an inflammation or not).
    expect(scoreMultiLabel([[1], [0]], [[1], [0]], 1).f1Macro).toBe(1)
    const four = new Float32Array(4)
    expect(() => scoreProbabilities('multi-class', four, new Float32Array(2), 2)).toThrow(
      /targets \(4\) and probabilities \(2\) must both be images × 2/,
    )
    expect(() => scoreProbabilities('multi-class', new Float32Array(3), new Float32Array(3), 2)).toThrow(
      /images × 2/,
    )
  })

  it('breaks ties one way everywhere: the first of equal probabilities, and exactly 0.5 is a yes', () => {
    // Two images, truth class 1 then 0; both predicted with a tie, so both predicted class 0.
    const tie = scoreProbabilities(
      'multi-class',
      Float32Array.from([0, 1, 1, 0]),
      Float32Array.from([0.5, 0.5, 0.5, 0.5]),
      2,
    )
    expect(tie.confusion).toEqual([
      [1, 0],
      [1, 0],
    ])
    const half = scoreProbabilities(
      'multi-label',
      Float32Array.from([1, 0]),
      Float32Array.from([0.5, 0.49]),
      2,
    )
    expect(half.labelMatrices).toEqual([
      { tp: 1, fp: 0, fn: 0, tn: 0 },
      { tp: 0, fp: 0, fn: 0, tn: 1 },
    ])
    expect(predictedClasses('multi-class', [0.2, 0.5, 0.3])).toEqual([1])
    expect(predictedClasses('multi-class', [0.4, 0.4])).toEqual([0])
    expect(predictedClasses('multi-class', [])).toEqual([])
    expect(predictedClasses('multi-label', [0.5, 0.49, 0.9])).toEqual([0, 2])
  })
})
