import { describe, expect, it } from 'vitest'
import { classificationDetail } from './classificationDetail'

describe('classificationDetail', () => {
  it('reads a multi-class run: per-class scores and the confusion matrix in class order', () => {
    const d = classificationDetail({
      testF1Macro: 0.7,
      'testPrecision.nevus': 0.5,
      'testRecall.nevus': 1,
      'testF1.nevus': 2 / 3,
      'testPrecision.melanoma': 1,
      'testRecall.melanoma': 0.5,
      'testF1.melanoma': 2 / 3,
      'testConfusion.nevus→nevus': 2,
      'testConfusion.nevus→melanoma': 0,
      'testConfusion.melanoma→nevus': 2,
      'testConfusion.melanoma→melanoma': 2,
      'valF1.nevus': 0.1,
    })
    expect(d.classes.map((c) => [c.name, c.f1])).toEqual([
      ['nevus', 2 / 3],
      ['melanoma', 2 / 3],
    ])
    expect(d.confusion).toEqual({
      names: ['nevus', 'melanoma'],
      counts: [
        [2, 0],
        [2, 2],
      ],
    })
    expect(d.labelMatrices).toBeNull()
  })

  it('reads a multi-label run: one 2×2 per label, names with dots kept whole', () => {
    const d = classificationDetail({
      'testF1.T.cell': 0.5,
      'testMatrix.T.cell.tp': 3,
      'testMatrix.T.cell.fp': 1,
      'testMatrix.T.cell.fn': 2,
      'testMatrix.T.cell.tn': 4,
    })
    expect(d.confusion).toBeNull()
    expect(d.labelMatrices).toEqual([{ name: 'T.cell', tp: 3, fp: 1, fn: 2, tn: 4 }])
  })
})
