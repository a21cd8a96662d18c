import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
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
  })

  it('rejects out-of-range classes and mismatched lengths, naming the image', () => {
    expect(() => scoreMultiClass([0, 3], [0, 1], 3)).toThrow(/image 1: true class 3/)
    expect(() => scoreMultiClass([0], [0, 1], 3)).toThrow(/1 true classes but 2/)
    expect(() => scoreMultiLabel([[0, 1]], [[0]], 2)).toThrow(/image 0/)
  })
})
