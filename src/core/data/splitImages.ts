import { listImages } from '../store/images'
import type { Project } from '../store/project'
import { loadLabelFraction, loadSplit } from '../store/splits'
import type { ImageSummary } from '../../shared/types'

/**
 * A run's images as its split and label fraction place them: each subset's images, and the ids of the
 * training images whose labels the run may use (none without a label fraction). Every id of the label
 * fraction must lie in the training split. Segmentation and classification input both start here.
 */
export function splitImages(
  project: Project,
  splitId: number,
  labelFractionId: number | null,
): {
  split: ReturnType<typeof loadSplit>
  /** Every image of the project. */
  all: ImageSummary[]
  inSubset: (subset: string) => ImageSummary[]
  train: ImageSummary[]
  labelledIds: Set<number>
} {
  const split = loadSplit(project, splitId)
  const labelledIds = new Set(
    labelFractionId === null ? [] : loadLabelFraction(project, labelFractionId).imageIds,
  )
  const all = listImages(project)
  const inSubset = (s: string) => all.filter((i) => split.assignments.get(i.id) === s)
  const train = inSubset('train')
  const trainIds = new Set(train.map((i) => i.id))
  for (const id of labelledIds)
    if (!trainIds.has(id)) throw new Error(`Labelled image ${id} is not in the training split`)
  return { split, all, inSubset, train, labelledIds }
}
