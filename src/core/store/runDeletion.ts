import { removeUnreferencedBlobs } from './blobGarbage'
import { manifestTiles } from './maskManifest'
import type { Project } from './project'
import { getRun } from './runs'

/**
 * Deleting a run and everything only it held: its metrics, log, predictions and uncertainty scores (rows, by
 * cascade), its checkpoint, its predicted masks, probability maps and uncertainty maps (blobs, tiles of tiled masks included). A prediction a reviewer
 * accepted stays as their mask revision (its run becomes unknown), and a blob another row still names —
 * blobs are content-addressed, so two runs or a revision may share one — is kept.
 *
 * Atomic: the rows go in one transaction; blobs are removed only after it commits, so a crash in between
 * leaves unreferenced files (harmless, never a row pointing at a missing blob).
 */
export function deleteRun(project: Project, runId: number): { removedBlobs: number } {
  const candidates = project.db
    .transaction(() => {
      const run = getRun(project, runId)
      const owned = new Set<string>()
      if (run.checkpointBlob) owned.add(run.checkpointBlob)
      for (const b of project.db
        .prepare(
          'SELECT blob FROM predictions WHERE run_id = ? UNION SELECT blob FROM prediction_probabilities WHERE run_id = ?',
        )
        .pluck()
        .all(runId, runId))
        owned.add(b as string)
      for (const b of project.db
        .prepare('SELECT map_blob FROM prediction_uncertainty WHERE run_id = ? AND map_blob IS NOT NULL')
        .pluck()
        .all(runId))
        owned.add(b as string)
      for (const b of [...owned]) for (const t of manifestTiles(project, b)) owned.add(t)
      project.db.prepare('DELETE FROM runs WHERE id = ?').run(runId)
      return owned
    })
    .immediate()
  return { removedBlobs: removeUnreferencedBlobs(project, candidates) }
}

/** Replaces a run's checkpoint, removing the one it replaces: a run keeps one checkpoint, its latest. */
export function replaceRunCheckpoint(project: Project, runId: number, blob: string, progress: unknown): void {
  const previous = project.db
    .transaction(() => {
      const old = getRun(project, runId).checkpointBlob
      project.db
        .prepare('UPDATE runs SET checkpoint_blob = ?, progress_json = ? WHERE id = ?')
        .run(blob, JSON.stringify(progress), runId)
      return old
    })
    .immediate()
  if (previous && previous !== blob) removeUnreferencedBlobs(project, [previous])
}
