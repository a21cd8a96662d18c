import type { Project } from './project'

/** Every blob hash some row still points at. */
export function referencedBlobs(project: Project): Set<string> {
  const refs = new Set<string>()
  const queries = [
    'SELECT blob AS b FROM images',
    'SELECT blob AS b FROM tiles',
    'SELECT mask_blob AS b FROM tiles WHERE mask_blob IS NOT NULL',
    'SELECT blob AS b FROM mask_revisions',
    'SELECT checkpoint_blob AS b FROM runs WHERE checkpoint_blob IS NOT NULL',
    'SELECT blob AS b FROM predictions',
    'SELECT map_blob AS b FROM prediction_uncertainty WHERE map_blob IS NOT NULL',
    'SELECT blob AS b FROM pretrained_backbones',
  ]
  for (const q of queries) for (const r of project.db.prepare(q).all() as { b: string }[]) refs.add(r.b)
  return refs
}

/**
 * Removes blobs written by work that did not commit (a failed or cancelled import).
 * Only the candidates given are considered, so blobs of a concurrent writer are safe.
 */
export function removeUnreferencedBlobs(project: Project, candidates: Iterable<string>): number {
  const refs = referencedBlobs(project)
  let removed = 0
  for (const h of new Set(candidates)) {
    if (!refs.has(h) && project.blobs.has(h)) {
      project.blobs.delete(h)
      removed++
    }
  }
  return removed
}
