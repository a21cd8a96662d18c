import type { RunStatus } from '../../shared/types'
import type { Project } from './project'

export interface NewRun {
  task: string
  method: string
  labelFraction: number | null
  seed: number
  config: unknown
  datasetVersion: string
  backend?: string | null
  /** Hash of everything that decides the run's metrics (see train/runIdentity.ts); null for old runs. */
  identity?: string | null
}

export interface RunRow extends Required<NewRun> {
  id: number
  status: RunStatus
  error: string | null
  progress: unknown
  checkpointBlob: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  /** Kept, but left out of the results pane (exports can ask for hidden runs). */
  hidden: boolean
}

interface Row extends Omit<RunRow, 'config' | 'progress' | 'hidden'> {
  configJson: string
  progressJson: string | null
  hidden: number
}

const COLUMNS = `id, task, method, label_fraction AS labelFraction, seed, config_json AS configJson,
  dataset_version AS datasetVersion, backend, identity, status, error, progress_json AS progressJson,
  checkpoint_blob AS checkpointBlob, created_at AS createdAt, started_at AS startedAt, finished_at AS finishedAt, hidden`

function fromRow(r: Row): RunRow {
  const { configJson, progressJson, hidden, ...rest } = r
  return {
    ...rest,
    hidden: hidden === 1,
    config: JSON.parse(configJson),
    progress: progressJson ? JSON.parse(progressJson) : null,
  }
}

export function createRun(project: Project, run: NewRun): number {
  return Number(
    project.db
      .prepare(
        `INSERT INTO runs (task, method, label_fraction, seed, config_json, dataset_version, backend, identity, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued')`,
      )
      .run(
        run.task,
        run.method,
        run.labelFraction,
        run.seed,
        JSON.stringify(run.config),
        run.datasetVersion,
        run.backend ?? null,
        run.identity ?? null,
      ).lastInsertRowid,
  )
}

/** Runs with this identity, oldest first. */
export function runsWithIdentity(project: Project, identity: string): RunRow[] {
  return (
    project.db.prepare(`SELECT ${COLUMNS} FROM runs WHERE identity = ? ORDER BY id`).all(identity) as Row[]
  ).map(fromRow)
}

export function getRun(project: Project, id: number): RunRow {
  const r = project.db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ?`).get(id) as Row | undefined
  if (!r) throw new Error(`No run with id ${id}`)
  return fromRow(r)
}

export function listRuns(project: Project): RunRow[] {
  return (project.db.prepare(`SELECT ${COLUMNS} FROM runs ORDER BY id`).all() as Row[]).map(fromRow)
}

export function updateRun(
  project: Project,
  id: number,
  patch: Partial<{
    status: RunStatus
    error: string | null
    progress: unknown
    checkpointBlob: string | null
    backend: string
  }>,
): void {
  const sets: string[] = []
  const values: unknown[] = []
  if (patch.status !== undefined) {
    sets.push('status = ?')
    values.push(patch.status)
    if (patch.status === 'running')
      sets.push(`started_at = COALESCE(started_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)
    if (['succeeded', 'failed', 'cancelled'].includes(patch.status)) {
      sets.push(`finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`)
    }
  }
  const columns: [keyof typeof patch, string, (v: unknown) => unknown][] = [
    ['error', 'error', (v) => v],
    ['progress', 'progress_json', (v) => JSON.stringify(v)],
    ['checkpointBlob', 'checkpoint_blob', (v) => v],
    ['backend', 'backend', (v) => v],
  ]
  for (const [key, column, encode] of columns) {
    if (patch[key] === undefined) continue
    sets.push(`${column} = ?`)
    values.push(encode(patch[key]))
  }
  if (!sets.length) return
  project.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
}

export interface MetricPoint {
  epoch?: number | null
  step?: number | null
  subset?: string | null
  name: string
  value: number
}

export function addRunMetrics(project: Project, runId: number, points: MetricPoint[]): void {
  const ins = project.db.prepare(
    'INSERT INTO run_metrics (run_id, epoch, step, subset, name, value) VALUES (?, ?, ?, ?, ?, ?)',
  )
  project.db
    .transaction(() => {
      for (const p of points) {
        if (!Number.isFinite(p.value))
          throw new Error(`Metric ${p.name} of run ${runId} is not a finite number: ${p.value}`)
        ins.run(runId, p.epoch ?? null, p.step ?? null, p.subset ?? null, p.name, p.value)
      }
    })
    .immediate()
}

export function runMetrics(project: Project, runId: number): Required<MetricPoint>[] {
  return project.db
    .prepare('SELECT epoch, step, subset, name, value FROM run_metrics WHERE run_id = ? ORDER BY id')
    .all(runId) as Required<MetricPoint>[]
}

/** Hides a run from the results pane, or shows it again; its rows and blobs stay. */
export function setRunHidden(project: Project, runId: number, hidden: boolean): void {
  const r = project.db.prepare('UPDATE runs SET hidden = ? WHERE id = ?').run(hidden ? 1 : 0, runId)
  if (r.changes === 0) throw new Error(`No run with id ${runId}`)
}

/** One line of a run's log (what it said about how it ran), stamped with the time it was written. */
export function appendRunLog(project: Project, runId: number, line: string): void {
  project.db.prepare('INSERT INTO run_log (run_id, line) VALUES (?, ?)').run(runId, line)
}

export function runLog(project: Project, runId: number): { at: string; line: string }[] {
  return project.db.prepare('SELECT at, line FROM run_log WHERE run_id = ? ORDER BY id').all(runId) as {
    at: string
    line: string
  }[]
}
