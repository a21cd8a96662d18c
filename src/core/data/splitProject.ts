import type { Subset } from '../../shared/types'
import { listImages } from '../store/images'
import type { Project } from '../store/project'
import { activeSplitId, saveSplit } from '../store/splits'
import { officialSplit } from '../store/officialSplit'
import { PAPER_SPLIT, randomSplit, type SplitRatios } from './randomSplit'

/** The split seed used when a project has none yet; recorded with the split so it can be reproduced. */
export const DEFAULT_SPLIT_SEED = 0

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

/** The project's active split, making one if needed: the dataset's official split if it ships one, else 70/10/20. */
export function ensureSplit(project: Project): number {
  const current = activeSplitId(project)
  if (current !== null) return current
  if (officialSplit(project).size > 0) return createOfficialSplit(project)
  const count = listImages(project).length
  if (count < 3) throw new Error(`A split needs at least 3 images; this project has ${count}`)
  return createRandomSplit(project, DEFAULT_SPLIT_SEED)
}
