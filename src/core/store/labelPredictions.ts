import type { Project } from './project'

/** A classification run's probabilities for one image, by class (see migration 014). */
export interface LabelPrediction {
  runId: number
  imageId: number
  /** The project's classes in their order, each with the run's probability. */
  probabilities: { classId: number; probability: number }[]
}

/** Stores (or replaces) a run's class probabilities for an image, in one transaction. */
export function putLabelPrediction(project: Project, p: LabelPrediction): void {
  const insert = project.db.prepare(
    `INSERT INTO label_predictions (run_id, image_id, class_id, probability) VALUES (?, ?, ?, ?)
     ON CONFLICT(run_id, image_id, class_id) DO UPDATE SET probability = excluded.probability,
       created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  )
  project.db
    .transaction(() => {
      for (const c of p.probabilities) {
        // Rounding can put a sum of probabilities a hair above 1.
        insert.run(p.runId, p.imageId, c.classId, Math.min(1, Math.max(0, c.probability)))
      }
    })
    .immediate()
}

interface Row {
  runId: number
  imageId: number
  classId: number
  probability: number
}

function grouped(rows: Row[]): LabelPrediction[] {
  const out = new Map<string, LabelPrediction>()
  for (const r of rows) {
    const key = `${r.runId}:${r.imageId}`
    let p = out.get(key)
    if (!p) out.set(key, (p = { runId: r.runId, imageId: r.imageId, probabilities: [] }))
    p.probabilities.push({ classId: r.classId, probability: r.probability })
  }
  return [...out.values()]
}

const SELECT = `SELECT p.run_id AS runId, p.image_id AS imageId, p.class_id AS classId, p.probability
  FROM label_predictions p JOIN classes c ON c.id = p.class_id`

/** Every image a run has predicted, with its probabilities in the classes' order. */
export function runLabelPredictions(project: Project, runId: number): LabelPrediction[] {
  return grouped(
    project.db
      .prepare(`${SELECT} WHERE p.run_id = ? ORDER BY p.image_id, c.ordinal, c.id`)
      .all(runId) as Row[],
  )
}

/** One image's predictions by every run that predicted it. */
export function imageLabelPredictions(project: Project, imageId: number): LabelPrediction[] {
  return grouped(
    project.db
      .prepare(`${SELECT} WHERE p.image_id = ? ORDER BY p.run_id, c.ordinal, c.id`)
      .all(imageId) as Row[],
  )
}
