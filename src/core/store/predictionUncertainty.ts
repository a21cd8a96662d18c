import type { Project } from './project'

/** How a run's doubt about an image is measured (see methods/activeLearning). */
export type UncertaintyStrategy = 'entropy' | 'disagreement' | 'mc-dropout'

export interface UncertaintyScore {
  runId: number
  imageId: number
  strategy: UncertaintyStrategy
  /** The image's mean over pixels: nats (entropy), a share of pixels (disagreement), a variance (MC dropout). */
  score: number
  /** 8-bit grey PNG of where the doubt lies, at a reduced scale; null when none was kept. */
  map: { blob: string; width: number; height: number } | null
}

interface Row {
  runId: number
  imageId: number
  strategy: UncertaintyStrategy
  score: number
  mapBlob: string | null
  mapWidth: number | null
  mapHeight: number | null
}

const COLUMNS = `run_id AS runId, image_id AS imageId, strategy, score, map_blob AS mapBlob,
  map_width AS mapWidth, map_height AS mapHeight`

function fromRow(r: Row): UncertaintyScore {
  return {
    runId: r.runId,
    imageId: r.imageId,
    strategy: r.strategy,
    score: r.score,
    map: r.mapBlob ? { blob: r.mapBlob, width: r.mapWidth!, height: r.mapHeight! } : null,
  }
}

/** Stores (or replaces) one strategy's score of a run's prediction for an image. */
export function putUncertainty(project: Project, s: UncertaintyScore): void {
  project.db
    .prepare(
      `INSERT INTO prediction_uncertainty (run_id, image_id, strategy, score, map_blob, map_width, map_height)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id, image_id, strategy) DO UPDATE SET score = excluded.score,
         map_blob = excluded.map_blob, map_width = excluded.map_width, map_height = excluded.map_height,
         created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .run(
      s.runId,
      s.imageId,
      s.strategy,
      s.score,
      s.map?.blob ?? null,
      s.map?.width ?? null,
      s.map?.height ?? null,
    )
}

/** A run's scores under one strategy, most uncertain first. */
export function runUncertainty(
  project: Project,
  runId: number,
  strategy: UncertaintyStrategy,
): UncertaintyScore[] {
  return (
    project.db
      .prepare(
        `SELECT ${COLUMNS} FROM prediction_uncertainty WHERE run_id = ? AND strategy = ?
         ORDER BY score DESC, image_id`,
      )
      .all(runId, strategy) as Row[]
  ).map(fromRow)
}

/** Every strategy's score of a run's prediction for one image. */
export function imageUncertainty(project: Project, runId: number, imageId: number): UncertaintyScore[] {
  return (
    project.db
      .prepare(
        `SELECT ${COLUMNS} FROM prediction_uncertainty WHERE run_id = ? AND image_id = ? ORDER BY strategy`,
      )
      .all(runId, imageId) as Row[]
  ).map(fromRow)
}
