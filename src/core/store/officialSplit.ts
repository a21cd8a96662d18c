import type { Subset } from '../../shared/types'
import type { Project } from './project'

/**
 * The dataset's own train/val/test assignment as imported (ISIC-2017: Training / Validation / Test_v2,
 * the split the paper used for ISIC). Images without one are left out.
 */
export function officialSplit(project: Project): Map<number, Subset> {
  const rows = project.db
    .prepare('SELECT id, official_split AS s FROM images WHERE official_split IS NOT NULL ORDER BY id')
    .all() as { id: number; s: Subset }[]
  return new Map(rows.map((r) => [r.id, r.s]))
}
