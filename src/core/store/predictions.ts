import type { Project } from './project'

/** A run's predicted mask of one image, as the viewer lists it. */
export interface StoredPrediction {
  runId: number
  method: string
  blob: string
  createdAt: string
  /** Class values with a stored probability map (0: any mask class); empty for runs predicted before maps were kept. */
  probabilities: number[]
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

/**
 * Stores (replacing any earlier set) a run's probability maps of an image: class value → blob of 8-bit
 * probabilities (round(255·p)), 0 meaning "any mask class" (1 − p(background)).
 */
export function putPredictionProbabilities(
  project: Project,
  runId: number,
  imageId: number,
  maps: ReadonlyMap<number, string>,
): void {
  const { db } = project
  db.transaction(() => {
    db.prepare('DELETE FROM prediction_probabilities WHERE run_id = ? AND image_id = ?').run(runId, imageId)
    const put = db.prepare(
      'INSERT INTO prediction_probabilities (run_id, image_id, class_value, blob) VALUES (?, ?, ?, ?)',
    )
    for (const [value, blob] of maps) put.run(runId, imageId, value, blob)
  }).immediate()
}

/** The blob of a run's prediction for an image; an error when the run left none. */
export function predictionBlob(project: Project, runId: number, imageId: number): string {
  const row = project.db
    .prepare('SELECT blob FROM predictions WHERE run_id = ? AND image_id = ?')
    .get(runId, imageId) as { blob: string } | undefined
  if (!row) throw new Error(`Run ${runId} has no prediction for image ${imageId}`)
  return row.blob
}

/** The blob of a run's probability map of one class value for an image; an error naming what is missing. */
export function predictionProbabilityBlob(
  project: Project,
  runId: number,
  imageId: number,
  classValue: number,
): string {
  const row = project.db
    .prepare(
      'SELECT blob FROM prediction_probabilities WHERE run_id = ? AND image_id = ? AND class_value = ?',
    )
    .get(runId, imageId, classValue) as { blob: string } | undefined
  if (!row)
    throw new Error(
      classValue === 0
        ? `Run ${runId} kept no probabilities for image ${imageId} (it was predicted before they were stored)`
        : `Run ${runId} kept no probability map of mask class value ${classValue} for image ${imageId}`,
    )
  return row.blob
}

/** Every run's prediction for an image, newest run first. */
export function imagePredictions(project: Project, imageId: number): StoredPrediction[] {
  const rows = project.db
    .prepare(
      `SELECT p.run_id AS runId, r.method, p.blob, p.created_at AS createdAt,
              (SELECT group_concat(q.class_value) FROM prediction_probabilities q
               WHERE q.run_id = p.run_id AND q.image_id = p.image_id) AS values_
       FROM predictions p JOIN runs r ON r.id = p.run_id WHERE p.image_id = ? ORDER BY p.run_id DESC`,
    )
    .all(imageId) as (Omit<StoredPrediction, 'probabilities'> & { values_: string | null })[]
  return rows.map(({ values_, ...r }) => ({
    ...r,
    probabilities: values_
      ? values_
          .split(',')
          .map(Number)
          .sort((a, b) => a - b)
      : [],
  }))
}

/** A run's predictions, image by image. */
export function runPredictions(project: Project, runId: number): { imageId: number; blob: string }[] {
  return project.db
    .prepare('SELECT image_id AS imageId, blob FROM predictions WHERE run_id = ? ORDER BY image_id')
    .all(runId) as { imageId: number; blob: string }[]
}
