import { describe, expect, it } from 'vitest'
import { comparesWithTrivialAnswer, trivialAnswer } from '../../shared/trivialAnswer'
import { scoreMetrics, scoreMultiClass, scoreMultiLabel } from './classificationScores'

/** shared/trivialAnswer.ts read back from what a run stores, checked by hand and against scoring the answer itself. */
describe('the trivial answer a classifier must beat', () => {
  const names = ['nevus', 'melanoma', 'keratosis']

  it('multi-class: always the most common class, F1 (macro) 2p/(1 + p)/C', () => {
    // 10 test images: 6 nevus, 3 melanoma, 1 keratosis; some classifier's predictions.
    const truth = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2]
    const stored = scoreMetrics(scoreMultiClass(truth, [0, 1, 0, 2, 0, 0, 1, 0, 1, 2], 3), 'test', names)
    const t = trivialAnswer(stored)!
    expect(t.answer).toBe('always answering “nevus”')
    // p = 0.6: F1 of nevus 2·0.6/1.6 = 0.75, the others 0; mean over 3 classes 0.25.
    expect(t.f1Macro).toBeCloseTo(0.25, 12)
    const constant = scoreMultiClass(
      truth,
      truth.map(() => 0),
      3,
    )
    expect(t.f1Macro).toBeCloseTo(constant.f1Macro, 12)
  })

  it('multi-label: yes to every label, per label 2p/(1 + p), a label nobody has scoring 0', () => {
    // 4 images; inflammation on 3, vessel on 1, necrosis on none; one image with no label, one with two.
    const truth = [
      [1, 1, 0],
      [1, 0, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]
    const stored = scoreMetrics(
      scoreMultiLabel(
        truth,
        [
          [1, 0, 0],
          [0, 0, 1],
          [1, 1, 0],
          [0, 0, 0],
        ],
        3,
      ),
      'test',
      ['inflammation', 'vessel', 'necrosis'],
    )
    const t = trivialAnswer(stored)!
    expect(t.answer).toBe('answering yes to every label')
    // inflammation p = 3/4: 6/7; vessel p = 1/4: 2/5; necrosis 0. Mean (6/7 + 2/5)/3.
    expect(t.f1Macro).toBeCloseTo((6 / 7 + 2 / 5) / 3, 12)
    const constant = scoreMultiLabel(
      truth,
      truth.map(() => [1, 1, 1]),
      3,
    )
    expect(t.f1Macro).toBeCloseTo(constant.f1Macro, 12)
  })

  it('reads the subset asked for, ignores a second network’s scores, and has no answer without counts', () => {
    const scores = scoreMultiClass([0, 1, 1], [0, 1, 1], 2)
    const stored = {
      ...scoreMetrics(scores, 'val', ['a', 'b']),
      ...scoreMetrics(scores, 'vitTest', ['a', 'b']),
    }
    expect(trivialAnswer(stored)).toBeNull()
    expect(trivialAnswer(stored, 'val')!.answer).toBe('always answering “b”')
    expect(trivialAnswer({ testF1Macro: 0.5 })).toBeNull()
  })

  it('has no answer for a test split with no images, or counts it cannot read', () => {
    expect(trivialAnswer(scoreMetrics(scoreMultiClass([], [], 2), 'test', names))).toBeNull()
    expect(trivialAnswer(scoreMetrics(scoreMultiLabel([], [], 2), 'test', names))).toBeNull()
    expect(trivialAnswer({ 'testConfusion.nevus': 3 })).toBeNull()
  })

  it('counts every cell of a label as a test image, false positives too', () => {
    // One label on 1 of 2 images; the classifier said yes to both (tp 1, fp 1): yes-to-all scores 2/3.
    const stored = scoreMetrics(scoreMultiLabel([[0], [1]], [[1], [1]], 1), 'test', ['vessel'])
    expect(trivialAnswer(stored)!.f1Macro).toBeCloseTo(2 / 3, 12)
  })

  it('is compared with the F1 (macro) of either network only', () => {
    expect(comparesWithTrivialAnswer('testF1Macro')).toBe(true)
    expect(comparesWithTrivialAnswer('vitTestF1Macro')).toBe(true)
    for (const other of [
      'testRecallMacro',
      'testF1Weighted',
      'valF1Macro',
      'testF1Macro.nevus',
      'xtestF1Macro',
    ])
      expect(comparesWithTrivialAnswer(other)).toBe(false)
  })
})
