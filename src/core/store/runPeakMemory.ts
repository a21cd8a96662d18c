import type { Project } from './project'

/** Stored with a run's metrics, out of the curves (no epoch or step) and out of the evaluation metrics. */
const SUBSET = 'resources'
const NAME = 'peakMemoryBytes'

/** Records the most memory a run's worker process held (its peak resident set). */
export function recordPeakMemory(project: Project, runId: number, bytes: number): void {
  if (!Number.isFinite(bytes) || bytes <= 0) return
  project.db
    .prepare(
      'INSERT INTO run_metrics (run_id, epoch, step, subset, name, value) VALUES (?, NULL, NULL, ?, ?, ?)',
    )
    .run(runId, SUBSET, NAME, bytes)
}

/** The peaks earlier finished runs of this method and preset measured, newest first. */
export function measuredPeakMemory(project: Project, method: string, preset: string): number[] {
  const rows = project.db
    .prepare(
      `SELECT m.value AS value, r.config_json AS configJson FROM run_metrics m JOIN runs r ON r.id = m.run_id
       WHERE m.subset = ? AND m.name = ? AND r.method = ? AND r.status = 'succeeded' ORDER BY r.id DESC`,
    )
    .all(SUBSET, NAME, method) as { value: number; configJson: string }[]
  return rows
    .filter((r) => (JSON.parse(r.configJson) as { preset?: string }).preset === preset)
    .map((r) => r.value)
}
