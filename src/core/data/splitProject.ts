import type { Subset } from '../../shared/types'
import { listImages } from '../store/images'
import type { Project } from '../store/project'
import { loadSplit, saveLabelFraction, saveSplit } from '../store/splits'
import { labelFractionSelection, userLabelledSelection } from './labelFraction'
import { officialSplit } from './officialSplit'
import { PAPER_SPLIT, randomSplit, type SplitRatios } from './randomSplit'

export type LabelTask = 'classification' | 'segmentation'

/** Saves (and activates) a seeded random split of every image in the project; returns its id. */
export function createRandomSplit(project: Project, seed: number, ratios: SplitRatios = PAPER_SPLIT): number {
  const ids = listImages(project).map((i) => i.id)
  if (ids.length === 0) throw new Error('The project has no images to split')
  const name = `random ${Math.round(ratios.train * 100)}/${Math.round(ratios.val * 100)}/${Math.round(ratios.test * 100)} seed ${seed}`
  return saveSplit(project, { name, kind: 'random', seed, assignments: randomSplit(ids, seed, ratios) })
}

/** Saves (and activates) the dataset's official split; refuses when no image has one. */
export function createOfficialSplit(project: Project): number {
  const assignments: Map<number, Subset> = officialSplit(project)
  if (assignments.size === 0) throw new Error('No image in this project carries an official split')
  return saveSplit(project, { name: 'official', kind: 'official', seed: null, assignments })
}

/**
 * Saves (and activates) the label-fraction selection of a split's training images: a stratified, nested
 * `fraction` for `seed`, or `'user'` for exactly what the user labelled. Classification counts images
 * with labels; segmentation counts images with a mask (stratified by their image labels when they have them).
 */
export function createLabelFraction(
  project: Project,
  sel: { splitId: number; fraction: number | 'user'; seed: number; task: LabelTask },
): { id: number; imageIds: number[] } {
  const split = loadSplit(project, sel.splitId)
  const train = listImages(project).filter((i) => split.assignments.get(i.id) === 'train')
  const imageIds =
    sel.fraction === 'user'
      ? userLabelledSelection(train, sel.task)
      : labelFractionSelection(
          train.filter((i) => (sel.task === 'classification' ? i.labelled : i.hasMask)),
          sel.fraction,
          sel.seed,
        )
  const id = saveLabelFraction(project, {
    splitId: sel.splitId,
    mode: sel.fraction === 'user' ? 'user' : 'fraction',
    fraction: sel.fraction === 'user' ? null : sel.fraction,
    seed: sel.fraction === 'user' ? null : sel.seed,
    imageIds,
  })
  return { id, imageIds }
}
