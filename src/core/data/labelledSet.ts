import { createHash } from 'node:crypto'
import type { ImageSummary, LabelSource } from '../../shared/types'
import { listImages } from '../store/images'
import type { Project } from '../store/project'
import { activeLabelFraction, loadLabelFraction, loadSplit, saveLabelFraction } from '../store/splits'
import { labelFractionSelection, labelledFor, userLabelledSelection } from './labelFraction'
import { ensureSplit } from './splitProject'

/**
 * The one place that decides which training images keep their labels. The training panel's preview, the
 * stored active choice, a run, the demo and the CLI all go through here, so the set a user sees is the set
 * a run trains on.
 *
 * Fractions are 0–1 everywhere in the core (0.3 is 30 %); percent exists only where people type or read it.
 */

export type LabelTask = 'classification' | 'segmentation'

/** A label fraction in (0, 1], 0 for none (unsupervised), or 'user' for exactly what was labelled. */
export type LabelledSetChoice = number | 'user'

export interface LabelledSet {
  splitId: number
  /** The training images that keep their labels, ascending. */
  imageIds: number[]
  /** Hand-made masks only, or reviewed (accepted-prediction) masks too. */
  labelSource: LabelSource
  /**
   * Content hash of the split, the labelled ids and what those images carry (labels and mask revision):
   * recorded on every run as its dataset version.
   */
  datasetVersion: string
}

export interface StoredLabelledSet extends LabelledSet {
  labelFractionId: number
  /** The fraction (0–1) it was drawn at; null for 'user'. */
  fraction: number | null
  seed: number | null
  mode: 'fraction' | 'user'
  /** The task it was chosen for (null: chosen before the task was recorded). */
  task: LabelTask | null
}

export { labelledFor }

export function trainingImages(project: Project, splitId: number): ImageSummary[] {
  const split = loadSplit(project, splitId)
  return listImages(project).filter((i) => split.assignments.get(i.id) === 'train')
}

function checkChoice(choice: LabelledSetChoice): void {
  if (choice !== 'user' && !(Number.isFinite(choice) && choice >= 0 && choice <= 1)) {
    throw new Error(`A label fraction is between 0 and 1 (0.3 for 30 %), got ${String(choice)}`)
  }
}

/**
 * Which training images keep their labels for a choice and seed. A fraction picks a stratified, nested
 * subset (stratified by image labels for both tasks, so every diagnosis keeps a representative; among the
 * images labelled for the task: with labels, or with a mask); 'user' takes exactly what was labelled;
 * 0 keeps none. Pure: nothing is stored, except the project's split when it has none yet.
 */
export function labelledSet(
  project: Project,
  task: LabelTask,
  choice: LabelledSetChoice,
  seed: number,
  labelSource: LabelSource = 'hand',
): LabelledSet {
  checkChoice(choice)
  const splitId = ensureSplit(project)
  const train = trainingImages(project, splitId)
  let imageIds: number[]
  if (choice === 'user') imageIds = userLabelledSelection(train, task, labelSource)
  else if (choice === 0) imageIds = []
  else {
    const usable = train.filter((i) => labelledFor(task, i, labelSource))
    imageIds = usable.length === 0 ? [] : labelFractionSelection(usable, choice, seed)
  }
  return {
    splitId,
    imageIds,
    labelSource,
    datasetVersion: datasetVersion(project, splitId, imageIds, labelSource),
  }
}

/** The dataset version of a labelled set: see LabelledSet.datasetVersion. */
export function datasetVersion(
  project: Project,
  splitId: number,
  imageIds: readonly number[],
  labelSource: LabelSource = 'hand',
): string {
  const split = loadSplit(project, splitId)
  const splitPart = [...split.assignments]
    .sort((a, b) => a[0] - b[0])
    .map(([id, s]) => `${id}${s[0]}`)
    .join(',')
  const ids = [...new Set(imageIds)].sort((a, b) => a - b)
  const byId = new Map(listImages(project, ids).map((i) => [i.id, i]))
  const labelledPart = ids
    .map((id) => {
      const img = byId.get(id)
      if (!img) throw new Error(`The labelled set names image ${id}, which is not in the project`)
      return `${id}:${img.labels.join('+')}:${img.maskBlob ?? ''}`
    })
    .join(',')
  return (
    createHash('sha256')
      // A set that takes reviewed masks is another dataset than a hand-only one, even when no image is
      // reviewed yet: the runs must never be counted as one results cell.
      .update(
        `split ${splitPart} | labelled ${labelledPart}${labelSource === 'reviewed' ? ' | reviewed' : ''}`,
      )
      .digest('hex')
      .slice(0, 16)
  )
}

function nothingLabelled(task: LabelTask, labelSource: LabelSource = 'reviewed'): Error {
  return new Error(
    task === 'segmentation' && labelSource === 'hand'
      ? 'No training image has a mask yet: paint or import some first (masks from accepted predictions count only when training on reviewed masks too)'
      : `No training image has ${task === 'segmentation' ? 'a mask' : 'labels'} yet: paint or import some first`,
  )
}

function store(
  project: Project,
  task: LabelTask,
  choice: LabelledSetChoice,
  seed: number,
  set: LabelledSet,
  makeActive: boolean,
): StoredLabelledSet {
  const mode = choice === 'user' ? 'user' : 'fraction'
  const fraction = choice === 'user' ? null : choice
  const storedSeed = choice === 'user' ? null : seed
  const labelFractionId = saveLabelFraction(
    project,
    {
      splitId: set.splitId,
      task,
      mode,
      fraction,
      seed: storedSeed,
      labelSource: set.labelSource,
      imageIds: set.imageIds,
    },
    set.datasetVersion,
    makeActive,
  )
  return { ...set, labelFractionId, fraction, seed: storedSeed, mode, task }
}

/**
 * Stores a choice as the project's active labelled set: the set the grid marks and training uses by
 * default. Refuses an empty set.
 */
export function chooseLabelledSet(
  project: Project,
  task: LabelTask,
  choice: LabelledSetChoice,
  seed: number,
  labelSource: LabelSource = 'hand',
): StoredLabelledSet {
  if (choice === 0) throw new Error('Choose a label fraction above 0: 0 keeps no labels')
  const set = labelledSet(project, task, choice, seed, labelSource)
  if (set.imageIds.length === 0) throw nothingLabelled(task, labelSource)
  return store(project, task, choice, seed, set, true)
}

/**
 * Stores exactly these training images as the project's active labelled set: a labeller's own choice, such as
 * the images an active-learning round picked. Each must be a training image labelled for the task.
 */
export function chooseLabelledImages(
  project: Project,
  task: LabelTask,
  imageIds: number[],
  labelSource: LabelSource = 'hand',
): StoredLabelledSet {
  const splitId = ensureSplit(project)
  const train = new Map(trainingImages(project, splitId).map((i) => [i.id, i]))
  const ids = [...new Set(imageIds)].sort((a, b) => a - b)
  if (ids.length === 0) throw nothingLabelled(task)
  for (const id of ids) {
    const img = train.get(id)
    if (!img) throw new Error(`Image ${id} is not a training image of the active split`)
    if (!labelledFor(task, img, labelSource))
      throw new Error(
        img.hasMask && task === 'segmentation'
          ? `Image ${img.name}'s mask came from an accepted prediction: choose reviewed masks too to train on it`
          : `Image ${img.name} has no ${task === 'segmentation' ? 'mask' : 'labels'} to train on`,
      )
  }
  const set = {
    splitId,
    imageIds: ids,
    labelSource,
    datasetVersion: datasetVersion(project, splitId, ids, labelSource),
  }
  return store(project, task, 'user', 0, set, true)
}

/** The project's active labelled set, as stored (its dataset version recomputed from what it holds now). */
export function activeLabelledSet(project: Project): StoredLabelledSet | null {
  const a = activeLabelFraction(project)
  return a && fromStored(project, a.id)
}

function fromStored(project: Project, id: number): StoredLabelledSet {
  const s = loadLabelFraction(project, id)
  return {
    splitId: s.splitId,
    imageIds: s.imageIds,
    labelSource: s.labelSource,
    datasetVersion: datasetVersion(project, s.splitId, s.imageIds, s.labelSource),
    labelFractionId: s.id,
    fraction: s.fraction,
    seed: s.seed,
    mode: s.mode,
    task: s.task,
  }
}

/** What a run asks for: a choice, or 'active' for the project's active labelled set. */
export type RunLabelledSetRequest = LabelledSetChoice | 'active'

export interface RunLabelledSet extends LabelledSet {
  /** The stored selection the run reads its labelled images from (null: none, i.e. unsupervised). */
  labelFractionId: number | null
  /** The fraction (0–1) the set was drawn at; null when it is what the user labelled. */
  fraction: number | null
}

/**
 * The labelled set of one run for one seed. 'active' is the active set exactly as stored (the same for
 * every seed); a fraction draws the seed's own nested set (the paper's protocol) and stores it for the run;
 * 0 is no labels.
 */
export function runLabelledSet(
  project: Project,
  task: LabelTask,
  request: RunLabelledSetRequest,
  seed: number,
  labelSource: LabelSource = 'hand',
): RunLabelledSet {
  // 'active' takes the stored set with the label source it was chosen with.
  if (request === 'active') {
    const active = activeLabelledSet(project)
    if (!active) {
      throw new Error(
        'No labelled set has been chosen for this project yet: choose one in the training panel, or give a fraction',
      )
    }
    if (active.task !== null && active.task !== task) {
      throw new Error(
        `The chosen labelled set is for ${active.task}, not ${task}: choose one for ${task} in the training panel`,
      )
    }
    return { ...active, fraction: active.mode === 'user' ? null : active.fraction }
  }
  const set = labelledSet(project, task, request, seed, labelSource)
  if (request === 0) return { ...set, labelFractionId: null, fraction: 0 }
  if (set.imageIds.length === 0) throw nothingLabelled(task, labelSource)
  const stored = store(project, task, request, seed, set, false)
  return { ...set, labelFractionId: stored.labelFractionId, fraction: stored.fraction }
}
