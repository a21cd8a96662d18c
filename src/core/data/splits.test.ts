import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { insertImage } from '../store/images'
import { setImageLabels } from '../store/labels'
import { closeProject, createProject } from '../store/project'
import { activeLabelFraction, loadSplit } from '../store/splits'
import { labelFractionSelection, PAPER_LABEL_FRACTIONS, userLabelledSelection } from './labelFraction'
import { randomSplit } from './randomSplit'
import { chooseLabelledSet } from './labelledSet'
import { createRandomSplit } from './splitProject'

const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from)

describe('randomSplit', () => {
  it('splits 70/10/20 by image, disjoint and covering every image', () => {
    const s = randomSplit(ids(100), 7)
    const count = (sub: string) => [...s.values()].filter((v) => v === sub).length
    expect([count('train'), count('val'), count('test')]).toEqual([70, 10, 20])
    expect([...s.keys()].sort((a, b) => a - b)).toEqual(ids(100))
  })

  it('is reproducible from the seed, whatever the id order, and differs between seeds', () => {
    const a = randomSplit(ids(30), 42)
    const b = randomSplit([...ids(30)].reverse(), 42)
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort())
    const c = randomSplit(ids(30), 43)
    expect([...a.entries()].sort()).not.toEqual([...c.entries()].sort())
  })

  it('rounds small sets so the counts still sum, and refuses bad ratios and duplicate ids', () => {
    const s = randomSplit(ids(7), 1)
    const v = [...s.values()]
    expect(v.filter((x) => x === 'train')).toHaveLength(5) // round(4.9)
    expect(v.filter((x) => x === 'val')).toHaveLength(1) // round(0.7)
    expect(v.filter((x) => x === 'test')).toHaveLength(1)
    expect(() => randomSplit(ids(3), 1, { train: 0.5, val: 0.1, test: 0.1 })).toThrow(/sum to 1/)
    expect(() => randomSplit([1, 1], 1)).toThrow(/twice/)
  })
  it('takes a ratio of 0 but refuses a negative one, even when the three sum to 1', () => {
    const s = randomSplit(ids(10), 1, { train: 0.8, val: 0, test: 0.2 })
    expect([...s.values()].filter((v) => v === 'val')).toHaveLength(0)
    expect(() => randomSplit(ids(10), 1, { train: 1.2, val: -0.2, test: 0 })).toThrow(
      'Split ratios must be non-negative and sum to 1, got 1.2/-0.2/0',
    )
    expect(() => randomSplit(ids(10), 1, { train: 0.7, val: 0.1, test: Number.NaN })).toThrow(/non-negative/)
  })
})

describe('labelFractionSelection', () => {
  // 60 images of class 0, 30 of class 1, 10 of class 2.
  const train = ids(100).map((id) => ({ id, labels: [id <= 60 ? 0 : id <= 90 ? 1 : 2] }))
  const classOf = (id: number) => train[id - 1].labels[0]

  it('keeps round(fraction · n) images of each class (stratified)', () => {
    for (const f of PAPER_LABEL_FRACTIONS) {
      const sel = labelFractionSelection(train, f, 5)
      const perClass = [0, 1, 2].map((c) => sel.filter((id) => classOf(id) === c).length)
      expect(perClass).toEqual([Math.round(60 * f), Math.round(30 * f), Math.max(1, Math.round(10 * f))])
    }
  })

  it('is nested across fractions for one seed: 10 % ⊂ 30 % ⊂ 50 % ⊂ 70 % ⊂ 100 %', () => {
    const sets = PAPER_LABEL_FRACTIONS.map((f) => new Set(labelFractionSelection(train, f, 11)))
    for (let i = 1; i < sets.length; i++) for (const id of sets[i - 1]) expect(sets[i].has(id)).toBe(true)
    expect(sets[sets.length - 1].size).toBe(100)
  })

  it('is reproducible from the seed, order-independent, and changes with the seed', () => {
    const a = labelFractionSelection(train, 0.3, 2)
    expect(labelFractionSelection([...train].reverse(), 0.3, 2)).toEqual(a)
    expect(labelFractionSelection(train, 0.3, 3)).not.toEqual(a)
  })

  it('keeps every class of a multi-label set with many rare label combinations, still nested', () => {
    // 60 × {0}, 30 × {1}, then ten singletons {2, k} for k = 3..12.
    const multi = [
      ...ids(60).map((id) => ({ id, labels: [0] })),
      ...ids(30, 61).map((id) => ({ id, labels: [1] })),
      ...ids(10, 91).map((id) => ({ id, labels: [2, id - 88] })),
    ]
    const ten = labelFractionSelection(multi, 0.1, 4)
    // Prefixes: 6 + 3 + 0; representatives: classes 3..12 each need their singleton, which also covers 2.
    expect(ten).toHaveLength(6 + 3 + 10)
    const sets = PAPER_LABEL_FRACTIONS.map((f) => new Set(labelFractionSelection(multi, f, 4)))
    for (let i = 1; i < sets.length; i++) for (const id of sets[i - 1]) expect(sets[i].has(id)).toBe(true)
    expect(labelFractionSelection(multi, 0.5, 4)).toHaveLength(30 + 15 + 10)
  })

  it('keeps at least one image without labels (segmentation masks only)', () => {
    expect(
      labelFractionSelection(
        ids(4).map((id) => ({ id, labels: [] })),
        0.1,
        1,
      ),
    ).toHaveLength(1)
    expect(
      labelFractionSelection(
        ids(40).map((id) => ({ id, labels: [] })),
        0.3,
        1,
      ),
    ).toHaveLength(12)
  })

  it('never drops a rare class, stratifies multi-label sets by label combination, and refuses bad fractions', () => {
    const rare = [...ids(20).map((id) => ({ id, labels: [0] })), { id: 99, labels: [1] }]
    expect(labelFractionSelection(rare, 0.1, 1)).toContain(99)
    const multi = ids(20).map((id) => ({ id, labels: id <= 10 ? [0, 1] : [1] }))
    const sel = labelFractionSelection(multi, 0.5, 1)
    expect(sel.filter((id) => id <= 10)).toHaveLength(5)
    expect(sel.filter((id) => id > 10)).toHaveLength(5)
    expect(() => labelFractionSelection(train, 0, 1)).toThrow(/\(0, 1\]/)
    expect(() => labelFractionSelection(train, 1.5, 1)).toThrow(/\(0, 1\]/)
  })

  it('refuses an image given twice', () => {
    expect(() => labelFractionSelection([...train, { id: 3, labels: [0] }], 0.3, 1)).toThrow(
      'labelFractionSelection was given image 3 twice',
    )
  })

  it("groups an image's labels whatever their order", () => {
    // 3 × {1, 2} and 1 × {2, 1}: one group of 4, half kept.
    const listed = (order: number[]) => ids(4).map((id) => ({ id, labels: id === 4 ? order : [1, 2] }))
    for (const seed of [0, 1, 2, 3]) {
      const a = labelFractionSelection(listed([1, 2]), 0.5, seed)
      expect(labelFractionSelection(listed([2, 1]), 0.5, seed)).toEqual(a)
      expect(a).toHaveLength(2)
    }
  })

  it('keeps label combinations apart that would read alike run together ({1, 2, 3} and {1, 23})', () => {
    const combos = [
      { id: 1, labels: [1, 2, 3] },
      { id: 2, labels: [1, 2, 3] },
      { id: 3, labels: [1, 23] },
      { id: 4, labels: [1, 23] },
    ]
    for (let seed = 0; seed < 12; seed++) {
      const kept = labelFractionSelection(combos, 0.5, seed)
      expect(kept.filter((id) => id <= 2)).toHaveLength(1)
      expect(kept.filter((id) => id > 2)).toHaveLength(1)
    }
  })

  it("takes a class's representative from its largest group, the first such group by label when tied", () => {
    // Quotas round(0.1 · n) are 0: only representatives are kept.
    const first = (images: { id: number; labels: number[] }[], key: number[]) =>
      labelFractionSelection(images, 0.1, 7).filter((id) =>
        images.some((i) => i.id === id && i.labels.join() === key.join()),
      )
    // Class 1 in {1} (3 images) and {1, 2} (1 image): {1} is largest, so both groups keep one.
    const big = [...ids(3).map((id) => ({ id, labels: [1] })), { id: 4, labels: [1, 2] }]
    expect(labelFractionSelection(big, 0.1, 7)).toHaveLength(2)
    // Class 1 in {1} (1 image) and {1, 2} (3 images): {1, 2}'s representative serves classes 1 and 2.
    const small = [{ id: 1, labels: [1] }, ...ids(3, 2).map((id) => ({ id, labels: [1, 2] }))]
    expect(labelFractionSelection(small, 0.1, 7)).toHaveLength(1)
    expect(first(small, [1])).toHaveLength(0)
    // Tied at 2 images each: {1} comes before {1, 2}, whatever order the images are listed in.
    const tied = [
      ...ids(2).map((id) => ({ id, labels: [1, 2] })),
      ...ids(2, 3).map((id) => ({ id, labels: [1] })),
    ]
    const kept = labelFractionSelection(tied, 0.1, 7)
    expect(kept).toHaveLength(2)
    expect(labelFractionSelection([...tied].reverse(), 0.1, 7)).toEqual(kept)
  })

  it('userLabelledSelection takes exactly the labelled (or masked) images', () => {
    const imgs = [
      { id: 1, labelled: true, hasMask: false, maskReviewed: false },
      { id: 2, labelled: false, hasMask: true, maskReviewed: false },
      { id: 3, labelled: false, hasMask: false, maskReviewed: false },
      // A mask from an accepted prediction: in a set of reviewed masks, not in a hand-only one.
      { id: 4, labelled: false, hasMask: true, maskReviewed: true },
    ]
    expect(userLabelledSelection(imgs, 'classification')).toEqual([1])
    expect(userLabelledSelection(imgs, 'segmentation')).toEqual([2])
    expect(userLabelledSelection(imgs, 'segmentation', 'hand')).toEqual([2])
    expect(userLabelledSelection(imgs, 'segmentation', 'reviewed')).toEqual([2, 4])
    // Ascending ids, whatever order the images come in.
    const more = [5, 12, 3, 40].map((id) => ({ id, labelled: true, hasMask: id !== 3, maskReviewed: false }))
    expect(userLabelledSelection(more, 'classification')).toEqual([3, 5, 12, 40])
    expect(userLabelledSelection(more, 'segmentation')).toEqual([5, 12, 40])
  })
})

describe('splits stored in a project', () => {
  it('saves a random split and a nested label fraction of its labelled training images', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-split-'))
    const project = createProject(path.join(dir, 'p'), {
      name: 't',
      labelMode: 'multi-class',
      classes: [
        { name: 'a', color: '#f00' },
        { name: 'b', color: '#0f0' },
      ],
    })
    try {
      for (let i = 0; i < 40; i++) {
        const id = insertImage(project, {
          blob: String(i).padStart(64, '0'),
          name: `i${i}`,
          width: 1,
          height: 1,
          channels: 3,
          format: 'png',
        })
        if (i % 4 !== 3) setImageLabels(project, id, [1 + (i % 2)])
      }
      const splitId = createRandomSplit(project, 9)
      const split = loadSplit(project, splitId)
      expect([...split.assignments.values()].filter((s) => s === 'train')).toHaveLength(28)
      const ten = chooseLabelledSet(project, 'classification', 0.1, 1)
      const all = chooseLabelledSet(project, 'classification', 1, 1)
      expect(ten.splitId).toBe(splitId)
      expect(activeLabelFraction(project)?.id).toBe(all.labelFractionId)
      for (const id of ten.imageIds) expect(all.imageIds).toContain(id)
      // Only labelled training images are ever selected.
      for (const id of all.imageIds) expect(split.assignments.get(id)).toBe('train')
      expect(all.imageIds.every((id) => (id - 1) % 4 !== 3)).toBe(true)
    } finally {
      closeProject(project)
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
