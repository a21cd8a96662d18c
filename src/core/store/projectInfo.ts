import type { ProjectCounts, ProjectInfo } from '../../shared/types'
import { listClasses } from './classes'
import { labelMode } from './labels'
import { evaluationMasksLocked } from './evaluationMasks'
import { listMaskClasses } from './maskClasses'
import { schemaVersion } from './migration'
import { getMeta, type Project } from './project'

export function projectCounts(project: Project): ProjectCounts {
  const count = (sql: string) => (project.db.prepare(sql).get() as { n: number }).n
  return {
    images: count('SELECT COUNT(*) AS n FROM images'),
    tiles: count('SELECT COUNT(*) AS n FROM tiles'),
    classes: count('SELECT COUNT(*) AS n FROM classes'),
    maskClasses: count('SELECT COUNT(*) AS n FROM mask_classes'),
    labels: count('SELECT COUNT(*) AS n FROM image_labels'),
    labelledImages: count('SELECT COUNT(*) AS n FROM labelled_images'),
    masks: count('SELECT COUNT(*) AS n FROM masks WHERE head_revision_id IS NOT NULL'),
    splits: count('SELECT COUNT(*) AS n FROM splits'),
    runs: count('SELECT COUNT(*) AS n FROM runs'),
  }
}

export function projectInfo(project: Project): ProjectInfo {
  return {
    dir: project.dir,
    name: getMeta(project, 'name') ?? 'Untitled project',
    labelMode: labelMode(project),
    schemaVersion: schemaVersion(project.db),
    classes: listClasses(project),
    maskClasses: listMaskClasses(project),
    lockEvaluationMasks: evaluationMasksLocked(project),
    counts: projectCounts(project),
  }
}
