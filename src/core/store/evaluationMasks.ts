import type { Subset } from '../../shared/types'
import { getMeta, setMeta, type Project } from './project'

const LOCK_KEY = 'lockEvaluationMasks'

/**
 * The evaluation subset an image is in ('val' or 'test'), by the active split, or by the dataset's official
 * split when no split is active; null for training images. Its mask is ground truth the scores are computed
 * against, so changing it changes every result.
 */
export function evaluationSubset(project: Project, imageId: number): Extract<Subset, 'val' | 'test'> | null {
  const row = project.db
    .prepare(
      `SELECT COALESCE(
         (SELECT sa.subset FROM split_assignments sa
            WHERE sa.image_id = i.id
              AND sa.split_id = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'activeSplitId')),
         i.official_split) AS subset
       FROM images i WHERE i.id = ?`,
    )
    .get(imageId) as { subset: Subset | null } | undefined
  if (!row) throw new Error(`No image with id ${imageId}`)
  return row.subset === 'val' || row.subset === 'test' ? row.subset : null
}

/** The project setting that keeps validation and test masks from being changed. Off by default. */
export function evaluationMasksLocked(project: Project): boolean {
  return getMeta(project, LOCK_KEY) === '1'
}

export function lockEvaluationMasks(project: Project, locked: boolean): void {
  setMeta(project, LOCK_KEY, locked ? '1' : '0')
}

/** Throws, saying why, when the project locks this image's mask as evaluation ground truth. */
export function assertMaskEditable(project: Project, imageId: number): void {
  const subset = evaluationSubset(project, imageId)
  if (subset && evaluationMasksLocked(project))
    throw new Error(
      `Image ${imageId} is in the ${subset === 'test' ? 'test' : 'validation'} set: its mask is evaluation ground truth, ` +
        'locked by the project setting "Lock validation and test masks"',
    )
}
