import { createHash } from 'node:crypto'
import { labelFractionSelection, userLabelledSelection } from './labelFraction'
import { officialSplit } from './officialSplit'
import { createOfficialSplit, createRandomSplit } from './splitProject'
import { listImages } from '../store/images'
import type { Project } from '../store/project'
import { activeSplitId, loadSplit, saveLabelFraction } from '../store/splits'

/** The split seed used when a project has none yet; recorded with the split so it can be reproduced. */
export const DEFAULT_SPLIT_SEED = 0

/** The project's active split, making one if needed: the dataset's official split if it ships one, else 70/10/20. */
export function ensureSplit(project: Project): number {
  const current = activeSplitId(project)
  if (current !== null) return current
  if (officialSplit(project).size > 0) return createOfficialSplit(project)
  const count = listImages(project).length
  if (count < 3) throw new Error(`A split needs at least 3 images; this project has ${count}`)
  return createRandomSplit(project, DEFAULT_SPLIT_SEED)
}

export interface RunSelection {
  splitId: number
  labelFractionId: number | null
  labelledImageIds: number[]
  /** Content hash of the split and labelled set: the run's dataset version. */
  datasetVersion: string
}

/**
 * Which training images keep their labels for one run. A percentage picks a stratified, nested subset
 * for the run's seed; 'user' takes exactly what the user labelled; 0 (PiCIE) keeps none.
 */
export function selectLabelledSet(
  project: Project,
  task: 'segmentation' | 'classification',
  labelFraction: number | 'user',
  seed: number,
): RunSelection {
  const splitId = ensureSplit(project)
  const split = loadSplit(project, splitId)
  const train = listImages(project).filter((i) => split.assignments.get(i.id) === 'train')
  const usable = train.filter((i) => (task === 'segmentation' ? i.hasMask : i.labelled))
  let ids: number[]
  if (labelFraction === 'user') ids = userLabelledSelection(train, task)
  else if (labelFraction === 0) ids = []
  else {
    if (usable.length === 0) {
      throw new Error(
        `No training image has ${task === 'segmentation' ? 'a mask' : 'labels'} yet: paint or import some first`,
      )
    }
    ids = labelFractionSelection(
      usable.map((i) => ({ id: i.id, labels: task === 'segmentation' ? [] : i.labels })),
      labelFraction / 100,
      seed,
    )
  }
  const splitPart = [...split.assignments]
    .sort((a, b) => a[0] - b[0])
    .map(([id, s]) => `${id}${s[0]}`)
    .join(',')
  const datasetVersion = createHash('sha256')
    .update(`split ${splitPart} | labelled ${[...ids].sort((a, b) => a - b)}`)
    .digest('hex')
    .slice(0, 16)
  const labelFractionId =
    labelFraction === 0
      ? null
      : saveLabelFraction(
          project,
          {
            splitId,
            mode: labelFraction === 'user' ? 'user' : 'fraction',
            fraction: labelFraction === 'user' ? null : labelFraction / 100,
            seed: labelFraction === 'user' ? null : seed,
            imageIds: ids,
          },
          false,
        )
  return { splitId, labelFractionId, labelledImageIds: ids, datasetVersion }
}
