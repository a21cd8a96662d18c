import type {
  LabelFractionChoice,
  LabelFractionPreview,
  LabelFractionState,
  LabelTask,
} from '../../shared/contract/viewer'
import { labelFractionSelection, userLabelledSelection } from '../data/labelFraction'
import { ensureSplit } from '../data/runSelection'
import { listClasses } from '../store/classes'
import { listImages } from '../store/images'
import type { Project } from '../store/project'
import { activeLabelFraction, loadSplit, saveLabelFraction } from '../store/splits'

function trainingImages(project: Project) {
  const splitId = ensureSplit(project)
  const split = loadSplit(project, splitId)
  return { splitId, train: listImages(project).filter((i) => split.assignments.get(i.id) === 'train') }
}

/**
 * The labelled set for a choice, computed exactly as a training run computes it (stratified by image
 * labels for classification; by "has a mask" for segmentation), so the preview is what training gets.
 */
export function previewLabelFraction(
  project: Project,
  task: LabelTask,
  choice: LabelFractionChoice,
  seed: number,
): LabelFractionPreview & { splitId: number } {
  const { splitId, train } = trainingImages(project)
  const usable = train.filter((i) => (task === 'segmentation' ? i.hasMask : i.labelled))
  const imageIds =
    choice === 'user'
      ? userLabelledSelection(train, task)
      : usable.length === 0
        ? []
        : labelFractionSelection(
            usable.map((i) => ({ id: i.id, labels: task === 'segmentation' ? [] : i.labels })),
            choice,
            seed,
          )
  const chosen = new Set(imageIds)
  const perClass = listClasses(project).map((c) => ({
    classId: c.id,
    selected: train.filter((i) => chosen.has(i.id) && i.labels.includes(c.id)).length,
  }))
  return { splitId, choice, seed, imageIds, perClass }
}

export function labelFractionState(project: Project, task: LabelTask): LabelFractionState {
  const { splitId, train } = trainingImages(project)
  const usable = train.filter((i) => (task === 'segmentation' ? i.hasMask : i.labelled))
  const active = activeLabelFraction(project)
  const chosen = new Set(active?.imageIds ?? [])
  return {
    task,
    splitId,
    trainImages: train.length,
    labelled: usable.length,
    perClass: listClasses(project).map((c) => ({
      classId: c.id,
      name: c.name,
      color: c.color,
      labelled: usable.filter((i) => i.labels.includes(c.id)).length,
      selected: train.filter((i) => chosen.has(i.id) && i.labels.includes(c.id)).length,
    })),
    active: active && {
      fraction: active.fraction,
      mode: active.mode,
      seed: active.seed,
      imageIds: active.imageIds,
    },
  }
}

/** Stores the choice as the project's active label-fraction selection: the set training uses. */
export function chooseLabelFraction(
  project: Project,
  task: LabelTask,
  choice: LabelFractionChoice,
  seed: number,
): LabelFractionState {
  const pre = previewLabelFraction(project, task, choice, seed)
  if (pre.imageIds.length === 0)
    throw new Error(
      `No training image has ${task === 'segmentation' ? 'a mask' : 'labels'} yet: label some before choosing a fraction`,
    )
  saveLabelFraction(project, {
    splitId: pre.splitId,
    mode: choice === 'user' ? 'user' : 'fraction',
    fraction: choice === 'user' ? null : choice,
    seed: choice === 'user' ? null : seed,
    imageIds: pre.imageIds,
  })
  return labelFractionState(project, task)
}
