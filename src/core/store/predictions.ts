import type { Project } from './project'

/** A run's predicted mask of one image, as the viewer lists it. */
export interface StoredPrediction {
  runId: number
  method: string
  blob: string
  createdAt: string
}

/** Stores (or replaces) a run's predicted mask of an image: a blob of class indices. */
export function putPrediction(project: Project, runId: number, imageId: number, blob: string): void {
  project.db
    .prepare(
      `INSERT INTO predictions (run_id, image_id, blob) VALUES (?, ?, ?)
       ON CONFLICT(run_id, image_id) DO UPDATE SET blob = excluded.blob`,
    )
    .run(runId, imageId, blob)
}

/** The blob of a run's prediction for an image; an error when the run left none. */
export function predictionBlob(project: Project, runId: number, imageId: number): string {
  const row = project.db
    .prepare('SELECT blob FROM predictions WHERE run_id = ? AND image_id = ?')
    .get(runId, imageId) as { blob: string } | undefined
  if (!row) throw new Error(`Run ${runId} has no prediction for image ${imageId}`)
  return row.blob
}

/** Every run's prediction for an image, newest run first. */
export function imagePredictions(project: Project, imageId: number): StoredPrediction[] {
  return project.db
    .prepare(
      `SELECT p.run_id AS runId, r.method, p.blob, p.created_at AS createdAt
       FROM predictions p JOIN runs r ON r.id = p.run_id WHERE p.image_id = ? ORDER BY p.run_id DESC`,
    )
    .all(imageId) as StoredPrediction[]
}

/** A run's predictions, image by image. */
export function runPredictions(project: Project, runId: number): { imageId: number; blob: string }[] {
  return project.db
    .prepare('SELECT image_id AS imageId, blob FROM predictions WHERE run_id = ? ORDER BY image_id')
    .all(runId) as { imageId: number; blob: string }[]
}
