import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertImage } from '../store/images'
import { setImageLabels } from '../store/labels'
import { commitMaskRevision } from '../store/masks'
import { closeProject, createProject, type Project } from '../store/project'
import {
  activeLabelFraction,
  loadLabelFraction,
  loadSplit,
  saveLabelFraction,
  saveSplit,
} from '../store/splits'
import {
  activeLabelledSet,
  chooseLabelledImages,
  chooseLabelledSet,
  datasetVersion,
  labelledFor,
  labelledSet,
  runLabelledSet,
  trainingImages,
} from './labelledSet'

/**
 * The labelled set's rules on a hand-made project: 10 images split by hand (ids 1–6 train, 7 val, 8–10
 * test); training images 1–4 carry image labels (1, 2 class a; 3, 4 class b), 2 and 5 carry masks, 6 neither.
 */
let dir: string
let project: Project
let splitId: number

function addImage(i: number): number {
  return insertImage(project, {
    blob: String(i).padStart(64, '0'),
    name: `img${i}`,
    width: 4,
    height: 4,
    channels: 3,
    format: 'png',
  })
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-labelled-set-rules-'))
  project = createProject(path.join(dir, 'p'), {
    name: 't',
    labelMode: 'multi-class',
    classes: [
      { name: 'a', color: '#f00' },
      { name: 'b', color: '#0f0' },
    ],
  })
  for (let i = 1; i <= 10; i++) addImage(i)
  const assignments = new Map<number, 'train' | 'val' | 'test'>()
  for (let id = 1; id <= 10; id++) assignments.set(id, id <= 6 ? 'train' : id === 7 ? 'val' : 'test')
  splitId = saveSplit(project, { name: 'by hand', kind: 'random', seed: 0, assignments })
  setImageLabels(project, 1, [1])
  setImageLabels(project, 2, [1])
  setImageLabels(project, 3, [2])
  setImageLabels(project, 4, [2])
  setImageLabels(project, 7, [1])
  commitMaskRevision(project, 2, 'm'.repeat(64), 'import')
  commitMaskRevision(project, 5, 'n'.repeat(64), 'edit')
  commitMaskRevision(project, 8, 'o'.repeat(64), 'import')
})

afterEach(() => {
  closeProject(project)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('labelledSet', () => {
  it('counts an image as labelled by its labels for classification and by its mask for segmentation', () => {
    expect(labelledFor('classification', { labelled: true, hasMask: false, maskReviewed: false })).toBe(true)
    expect(labelledFor('classification', { labelled: false, hasMask: true, maskReviewed: false })).toBe(false)
    expect(labelledFor('segmentation', { labelled: true, hasMask: false, maskReviewed: false })).toBe(false)
    expect(labelledFor('segmentation', { labelled: false, hasMask: true, maskReviewed: false })).toBe(true)
  })

  it("draws from the split's training images only", () => {
    expect(trainingImages(project, splitId).map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it("takes exactly what was labelled for 'user', nothing for 0, and a stratified share for a fraction", () => {
    expect(labelledSet(project, 'classification', 'user', 0).imageIds).toEqual([1, 2, 3, 4])
    expect(labelledSet(project, 'segmentation', 'user', 0).imageIds).toEqual([2, 5])
    expect(labelledSet(project, 'classification', 0, 0).imageIds).toEqual([])
    expect(labelledSet(project, 'classification', 1, 3).imageIds).toEqual([1, 2, 3, 4])
    // Half of each class (a: 1, 2; b: 3, 4): one of each.
    const half = labelledSet(project, 'classification', 0.5, 3).imageIds
    expect(half).toHaveLength(2)
    expect(half.filter((id) => id <= 2)).toHaveLength(1)
    // Segmentation draws among the masked training images only (val image 8's mask does not count).
    expect(labelledSet(project, 'segmentation', 1, 0).imageIds).toEqual([2, 5])
    expect(labelledSet(project, 'classification', 1, 0).splitId).toBe(splitId)
  })

  it('is empty, not an error, when no training image is labelled for the task', () => {
    const bare = path.join(dir, 'bare')
    const other = createProject(bare, { name: 'b', labelMode: 'multi-class', classes: [] })
    try {
      for (let i = 0; i < 3; i++)
        insertImage(other, {
          blob: `b${i}`.padEnd(64, '0'),
          name: `b${i}`,
          width: 1,
          height: 1,
          channels: 3,
          format: 'png',
        })
      expect(labelledSet(other, 'segmentation', 0.5, 0).imageIds).toEqual([])
    } finally {
      closeProject(other)
    }
  })

  it('refuses a fraction outside 0–1, in the unit it expects', () => {
    for (const bad of [-0.1, 1.01, 30, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => labelledSet(project, 'classification', bad, 0)).toThrow(
        `A label fraction is between 0 and 1 (0.3 for 30 %), got ${String(bad)}`,
      )
    }
  })
})

describe('datasetVersion', () => {
  it('is a 16-digit hash that changes with the split, the labelled ids and what they carry', () => {
    const v = datasetVersion(project, splitId, [1, 2])
    expect(v).toMatch(/^[0-9a-f]{16}$/)
    // Order and repeats of the ids do not matter.
    expect(datasetVersion(project, splitId, [2, 1, 2])).toBe(v)
    expect(datasetVersion(project, splitId, [1])).not.toBe(v)
    // An unlabelled image's change does not count; a labelled image's label or mask does.
    setImageLabels(project, 6, [2])
    expect(datasetVersion(project, splitId, [1, 2])).toBe(v)
    commitMaskRevision(project, 2, 'p'.repeat(64), 'edit')
    const afterMask = datasetVersion(project, splitId, [1, 2])
    expect(afterMask).not.toBe(v)
    setImageLabels(project, 1, [2])
    expect(datasetVersion(project, splitId, [1, 2])).not.toBe(afterMask)
    // Another split of the same images is another dataset.
    const moved = new Map(loadSplit(project, splitId).assignments)
    moved.set(6, 'val')
    const other = saveSplit(project, { name: 'moved', kind: 'random', seed: 1, assignments: moved })
    expect(datasetVersion(project, other, [1, 2])).not.toBe(datasetVersion(project, splitId, [1, 2]))
  })

  it('names an id that is not in the project', () => {
    expect(() => datasetVersion(project, splitId, [1, 99])).toThrow(
      'The labelled set names image 99, which is not in the project',
    )
  })
})

describe('chooseLabelledSet', () => {
  it('stores the choice as the active set, with its fraction, seed, mode and task', () => {
    const half = chooseLabelledSet(project, 'classification', 0.5, 3)
    expect(half).toMatchObject({ fraction: 0.5, seed: 3, mode: 'fraction', task: 'classification', splitId })
    expect(half.imageIds).toEqual(labelledSet(project, 'classification', 0.5, 3).imageIds)
    expect(half.datasetVersion).toBe(datasetVersion(project, splitId, half.imageIds))
    expect(activeLabelFraction(project)?.id).toBe(half.labelFractionId)
    expect(activeLabelledSet(project)).toEqual(half)
    const user = chooseLabelledSet(project, 'segmentation', 'user', 3)
    expect(user).toMatchObject({ fraction: null, seed: null, mode: 'user', task: 'segmentation' })
    expect(user.imageIds).toEqual([2, 5])
    const stored = loadLabelFraction(project, user.labelFractionId)
    expect(stored).toMatchObject({ active: true, contentHash: user.datasetVersion, imageIds: [2, 5] })
    expect(loadLabelFraction(project, half.labelFractionId).active).toBe(false)
  })

  it('refuses 0 and a choice that keeps no image, naming what is missing', () => {
    expect(() => chooseLabelledSet(project, 'classification', 0, 0)).toThrow(
      'Choose a label fraction above 0: 0 keeps no labels',
    )
    setImageLabels(project, 1, null)
    setImageLabels(project, 2, null)
    setImageLabels(project, 3, null)
    setImageLabels(project, 4, null)
    let refused: unknown
    try {
      chooseLabelledSet(project, 'classification', 'user', 0)
    } catch (e) {
      refused = e
    }
    expect(refused).toBeInstanceOf(Error)
    expect((refused as Error).message).toBe('No training image has labels yet: paint or import some first')
    expect(activeLabelledSet(project)).toBeNull()
  })
})

describe('chooseLabelledImages', () => {
  it("stores exactly the given training images as the active 'user' set, sorted and once each", () => {
    const set = chooseLabelledImages(project, 'segmentation', [5, 2, 5])
    expect(set).toMatchObject({ imageIds: [2, 5], mode: 'user', fraction: null, seed: null, splitId })
    expect(set.datasetVersion).toBe(datasetVersion(project, splitId, [2, 5]))
    expect(activeLabelFraction(project)?.id).toBe(set.labelFractionId)
  })

  it('refuses nothing, a non-training image and an image without what the task needs', () => {
    expect(() => chooseLabelledImages(project, 'segmentation', [])).toThrow(
      'No training image has a mask yet: paint or import some first',
    )
    expect(() => chooseLabelledImages(project, 'segmentation', [2, 8])).toThrow(
      'Image 8 is not a training image of the active split',
    )
    expect(() => chooseLabelledImages(project, 'segmentation', [2, 3])).toThrow(
      'Image img3 has no mask to train on',
    )
    expect(() => chooseLabelledImages(project, 'classification', [5])).toThrow(
      'Image img5 has no labels to train on',
    )
    expect(activeLabelFraction(project)).toBeNull()
  })
})

describe('runLabelledSet', () => {
  it("'active' is the stored active set for every seed, and needs one chosen for the run's task", () => {
    expect(() => runLabelledSet(project, 'segmentation', 'active', 0)).toThrow(
      'No labelled set has been chosen for this project yet: choose one in the training panel, or give a fraction',
    )
    const chosen = chooseLabelledSet(project, 'classification', 0.5, 3)
    for (const seed of [0, 1, 9]) {
      const run = runLabelledSet(project, 'classification', 'active', seed)
      expect(run).toEqual({ ...activeLabelledSet(project), fraction: 0.5 })
      expect(run.labelFractionId).toBe(chosen.labelFractionId)
    }
    expect(() => runLabelledSet(project, 'segmentation', 'active', 0)).toThrow(
      'The chosen labelled set is for classification, not segmentation: choose one for segmentation in the training panel',
    )
    chooseLabelledSet(project, 'segmentation', 'user', 0)
    expect(runLabelledSet(project, 'segmentation', 'active', 4)).toMatchObject({
      fraction: null,
      imageIds: [2, 5],
    })
  })

  it('takes an active set stored before sets recorded their task for either task, as it was drawn', () => {
    const id = saveLabelFraction(project, {
      splitId,
      mode: 'fraction',
      fraction: 0.5,
      seed: 2,
      imageIds: [2, 5],
    })
    for (const task of ['segmentation', 'classification'] as const) {
      expect(runLabelledSet(project, task, 'active', 0)).toMatchObject({
        labelFractionId: id,
        imageIds: [2, 5],
        fraction: 0.5,
        task: null,
      })
    }
  })

  it("a fraction stores the seed's own set for the run without changing the active one; 0 stores none", () => {
    const active = chooseLabelledSet(project, 'classification', 1, 0)
    const run = runLabelledSet(project, 'classification', 0.5, 3)
    expect(run.fraction).toBe(0.5)
    expect(run.imageIds).toEqual(labelledSet(project, 'classification', 0.5, 3).imageIds)
    expect(loadLabelFraction(project, run.labelFractionId!)).toMatchObject({
      active: false,
      seed: 3,
      mode: 'fraction',
      imageIds: run.imageIds,
    })
    expect(activeLabelFraction(project)?.id).toBe(active.labelFractionId)
    const none = runLabelledSet(project, 'segmentation', 0, 3)
    expect(none).toMatchObject({ labelFractionId: null, fraction: 0, imageIds: [] })
    expect(() => runLabelledSet(project, 'segmentation', 'user', 0)).not.toThrow()
  })

  it('refuses a fraction that keeps no image', () => {
    for (const id of [1, 2, 3, 4]) setImageLabels(project, id, null)
    expect(() => runLabelledSet(project, 'classification', 0.5, 0)).toThrow(
      'No training image has labels yet: paint or import some first',
    )
  })
})

describe('hand-made masks only, or reviewed predictions too', () => {
  it('a reviewed mask is in a reviewed set and out of a hand-only one; evaluation images never are', () => {
    // Image 6 gets a mask from an accepted prediction (and a correction on top); image 7 (val) too.
    commitMaskRevision(project, 6, 'p'.repeat(64), 'prediction')
    commitMaskRevision(project, 6, 'q'.repeat(64), 'edit')
    commitMaskRevision(project, 7, 'r'.repeat(64), 'prediction')
    const hand = labelledSet(project, 'segmentation', 'user', 0)
    const reviewed = labelledSet(project, 'segmentation', 'user', 0, 'reviewed')
    expect(hand).toMatchObject({ imageIds: [2, 5], labelSource: 'hand' })
    expect(reviewed).toMatchObject({ imageIds: [2, 5, 6], labelSource: 'reviewed' })
    // Fractions draw from the same pools: 100 % is each pool whole.
    expect(labelledSet(project, 'segmentation', 1, 3).imageIds).toEqual([2, 5])
    expect(labelledSet(project, 'segmentation', 1, 3, 'reviewed').imageIds).toEqual([2, 5, 6])
    expect(hand.datasetVersion).not.toBe(reviewed.datasetVersion)
    // Image labels are not masks: classification sets are the same either way.
    expect(labelledSet(project, 'classification', 'user', 0, 'reviewed').imageIds).toEqual(
      labelledSet(project, 'classification', 'user', 0).imageIds,
    )
  })

  it('says, when only accepted predictions are masked, that a hand-only run has nothing to train on', () => {
    // Images 2 and 5 (the hand-masked training images) take accepted predictions: no hand mask is left.
    commitMaskRevision(project, 2, 'p'.repeat(64), 'prediction')
    commitMaskRevision(project, 5, 'q'.repeat(64), 'prediction')
    expect(() => runLabelledSet(project, 'segmentation', 0.5, 1)).toThrow(
      'No training image has a mask yet: paint or import some first (masks from accepted predictions count only when training on reviewed masks too)',
    )
    expect(runLabelledSet(project, 'segmentation', 1, 1, 'reviewed').imageIds).toEqual([2, 5])
    // Without masks at all, and for image labels, the message does not speak of reviewed masks.
    expect(() => runLabelledSet(project, 'segmentation', 0.5, 1, 'reviewed')).not.toThrow()
    expect(() => chooseLabelledImages(project, 'segmentation', [])).toThrow(
      /^No training image has a mask yet: paint or import some first$/,
    )
  })

  it('the source is stored with the chosen set and a run of the active set takes it', () => {
    commitMaskRevision(project, 6, 'p'.repeat(64), 'prediction')
    chooseLabelledSet(project, 'segmentation', 'user', 0, 'reviewed')
    expect(activeLabelledSet(project)).toMatchObject({ imageIds: [2, 5, 6], labelSource: 'reviewed' })
    expect(runLabelledSet(project, 'segmentation', 'active', 4)).toMatchObject({
      imageIds: [2, 5, 6],
      labelSource: 'reviewed',
    })
    expect(() => chooseLabelledImages(project, 'segmentation', [2, 6])).toThrow(
      /img6's mask came from an accepted prediction/,
    )
    expect(chooseLabelledImages(project, 'segmentation', [2, 6], 'reviewed').labelSource).toBe('reviewed')
    // Even with no reviewed image in it, a set that admits them is another dataset than a hand-only one.
    expect(datasetVersion(project, splitId, [2, 5], 'reviewed')).not.toBe(
      datasetVersion(project, splitId, [2, 5]),
    )
  })
})
