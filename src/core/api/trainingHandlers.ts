import type { ResultsCell, RunSummary } from '../../shared/training'
import { meanConfidenceInterval } from '../eval/meanConfidenceInterval'
import { listRuns, runMetrics, type RunRow } from '../store/runs'
import type { Project } from '../store/project'
import { resumeInterruptedRuns, startTraining } from '../train/trainingJobs'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

function finalMetrics(project: Project, run: RunRow): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of runMetrics(project, run.id)) if (m.subset === 'final') out[m.name] = m.value
  return out
}

function runNotes(run: RunRow): string[] {
  const notes = (run.progress as { notes?: unknown } | null)?.notes
  return Array.isArray(notes) ? notes.filter((n): n is string => typeof n === 'string') : []
}

export function trainingHandlers(
  session: Session,
): HandlerGroup<'train.start' | 'runs.list' | 'runs.metrics' | 'results.table' | 'training.setThreads'> {
  // Runs a crash or a restart interrupted go back in the queue as soon as their project is open again.
  session.onEvent((e) => {
    if (e.type === 'project' && e.change === 'opened') resumeInterruptedRuns(session, session.launchWorker)
  })
  return {
    'training.setThreads': async ({ threads }) => session.setThreads(threads),
    'train.start': async (input) => {
      const jobs = startTraining(session, input, session.launchWorker)
      session.emit({ type: 'project', change: 'runs' })
      return { jobIds: jobs.map((j) => j.id) }
    },
    'runs.list': async () => {
      const p = session.requireProject()
      return listRuns(p).map((r): RunSummary => ({
        id: r.id,
        task: r.task,
        method: r.method,
        labelFraction: r.labelFraction,
        seed: r.seed,
        status: r.status,
        backend: r.backend,
        datasetVersion: r.datasetVersion,
        error: r.error,
        createdAt: r.createdAt,
        finishedAt: r.finishedAt,
        final: finalMetrics(p, r),
        notes: runNotes(r),
      }))
    },
    'runs.metrics': async ({ runId }) => runMetrics(session.requireProject(), runId),
    'results.table': async ({ task }) => {
      const p = session.requireProject()
      const groups = new Map<
        string,
        { method: string; labelFraction: number; metric: string; values: number[] }
      >()
      for (const r of listRuns(p)) {
        if (r.task !== task || r.status !== 'succeeded') continue
        for (const [metric, value] of Object.entries(finalMetrics(p, r))) {
          const labelFraction = r.labelFraction ?? -1
          const key = `${r.method}|${labelFraction}|${metric}`
          const g = groups.get(key) ?? { method: r.method, labelFraction, metric, values: [] }
          g.values.push(value)
          groups.set(key, g)
        }
      }
      const cells = [...groups.values()].map((g): ResultsCell => {
        const ci = meanConfidenceInterval(g.values)
        return {
          ...g,
          n: g.values.length,
          mean: ci.mean,
          ci95: Number.isFinite(ci.halfWidth) ? ci.halfWidth : 0,
          values: g.values,
        }
      })
      cells.sort(
        (a, b) =>
          a.method.localeCompare(b.method) ||
          a.labelFraction - b.labelFraction ||
          a.metric.localeCompare(b.metric),
      )
      return { task, cells }
    },
  }
}
