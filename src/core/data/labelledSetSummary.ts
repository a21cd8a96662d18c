import type {
  LabelFractionChoice,
  LabelFractionPreview,
  LabelFractionState,
  LabelTask,
} from '../../shared/contract/labelFraction'
import type { LabelSource } from '../../shared/types'
import { listClasses } from '../store/classes'
import type { Project } from '../store/project'
import { activeLabelledSet, chooseLabelledSet, labelledFor, labelledSet, trainingImages } from './labelledSet'
import { ensureSplit } from './splitProject'

/** How many of `ids` carry each class: the per-class counts the training panel shows beside a set. */
function perClassCounts(project: Project, splitId: number, ids: readonly number[]) {
  const chosen = new Set(ids)
  const train = trainingImages(project, splitId).filter((i) => chosen.has(i.id))
  return listClasses(project).map((c) => ({
    classId: c.id,
    selected: train.filter((i) => i.labels.includes(c.id)).length,
  }))
}

/** The labelled set a choice gives, with its counts per class: exactly what a run at that choice uses. */
export function previewLabelledSet(
  project: Project,
  task: LabelTask,
  choice: LabelFractionChoice,
  seed: number,
  labelSource: LabelSource = 'hand',
): LabelFractionPreview {
  const set = labelledSet(project, task, choice, seed, labelSource)
  return {
    choice,
    seed,
    labelSource,
    imageIds: set.imageIds,
    datasetVersion: set.datasetVersion,
    perClass: perClassCounts(project, set.splitId, set.imageIds),
  }
}

/** The training images, how many are labelled for the task (per class), and the active labelled set. */
export function labelledSetState(project: Project, task: LabelTask): LabelFractionState {
  const splitId = ensureSplit(project)
  const train = trainingImages(project, splitId)
  const usable = train.filter((i) => labelledFor(task, i, 'hand'))
  const reviewed = train.filter((i) => task === 'segmentation' && i.hasMask && i.maskReviewed)
  const active = activeLabelledSet(project)
  const selected = new Map(
    perClassCounts(project, active?.splitId ?? splitId, active?.imageIds ?? []).map((c) => [
      c.classId,
      c.selected,
    ]),
  )
  return {
    task,
    splitId,
    trainImages: train.length,
    labelled: usable.length,
    reviewed: reviewed.length,
    perClass: listClasses(project).map((c) => ({
      classId: c.id,
      name: c.name,
      color: c.color,
      labelled: usable.filter((i) => i.labels.includes(c.id)).length,
      selected: selected.get(c.id) ?? 0,
    })),
    active: active && {
      task: active.task,
      fraction: active.fraction,
      mode: active.mode,
      seed: active.seed,
      labelSource: active.labelSource,
      imageIds: active.imageIds,
      datasetVersion: active.datasetVersion,
    },
  }
}

/** Stores the choice as the project's active labelled set (what the grid marks and training uses). */
export function chooseLabelledSetState(
  project: Project,
  task: LabelTask,
  choice: LabelFractionChoice,
  seed: number,
  labelSource: LabelSource = 'hand',
): LabelFractionState {
  chooseLabelledSet(project, task, choice, seed, labelSource)
  return labelledSetState(project, task)
}
