import type { ExperimentSpec, ExperimentSummary } from '../../shared/experiments'
import type { Project } from './project'

/** What the experiments table holds: a summary before its progress and runs are added. */
export type ExperimentRow = Omit<ExperimentSummary, 'progress' | 'runs'>

interface Row extends Omit<ExperimentRow, 'spec'> {
  specJson: string
}

const COLUMNS = `id, name, split_id AS splitId, spec_json AS specJson, status, created_at AS createdAt`

function fromRow(r: Row): ExperimentRow {
  const { specJson, ...rest } = r
  return { ...rest, spec: JSON.parse(specJson) as ExperimentSpec }
}

/** Stores an experiment and links its runs, in one transaction: it exists with all its runs or not at all. */
export function createExperiment(
  project: Project,
  experiment: { name: string; splitId: number; spec: ExperimentSpec },
  createRuns: () => number[],
): { id: number; runIds: number[] } {
  return project.db
    .transaction(() => {
      const id = Number(
        project.db
          .prepare('INSERT INTO experiments (name, split_id, spec_json) VALUES (?, ?, ?)')
          .run(experiment.name, experiment.splitId, JSON.stringify(experiment.spec)).lastInsertRowid,
      )
      const runIds = createRuns()
      linkExperimentRuns(project, id, runIds)
      return { id, runIds }
    })
    .immediate()
}

export function linkExperimentRuns(project: Project, experimentId: number, runIds: number[]): void {
  const ins = project.db.prepare(
    'INSERT OR IGNORE INTO experiment_runs (experiment_id, run_id) VALUES (?, ?)',
  )
  for (const runId of runIds) ins.run(experimentId, runId)
}

export function getExperiment(project: Project, id: number): ExperimentRow {
  const r = project.db.prepare(`SELECT ${COLUMNS} FROM experiments WHERE id = ?`).get(id) as Row | undefined
  if (!r) throw new Error(`No experiment with id ${id}`)
  return fromRow(r)
}

export function listExperiments(project: Project): ExperimentRow[] {
  return (project.db.prepare(`SELECT ${COLUMNS} FROM experiments ORDER BY id`).all() as Row[]).map(fromRow)
}

/** The ids of the runs an experiment holds, oldest first. */
export function experimentRunIds(project: Project, experimentId: number): number[] {
  return (
    project.db
      .prepare('SELECT run_id AS runId FROM experiment_runs WHERE experiment_id = ? ORDER BY run_id')
      .all(experimentId) as { runId: number }[]
  ).map((r) => r.runId)
}

/** The experiments a run belongs to, oldest first. */
export function runExperimentIds(project: Project, runId: number): number[] {
  return project.db
    .prepare('SELECT experiment_id FROM experiment_runs WHERE run_id = ? ORDER BY experiment_id')
    .pluck()
    .all(runId) as number[]
}

export function setExperimentStatus(project: Project, id: number, status: 'active' | 'cancelled'): void {
  project.db.prepare('UPDATE experiments SET status = ? WHERE id = ?').run(status, id)
}
