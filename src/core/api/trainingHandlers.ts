import type { RunSummary } from '../../shared/training'
import { finalMetrics, resultsTable } from '../eval/resultsTable'
import { listRuns, runMetrics, type RunRow } from '../store/runs'
import { resumeInterruptedRuns, startTraining } from '../train/trainingJobs'
import type { HandlerGroup } from './handlerTypes'
import type { Session } from './session'

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
        final: finalMetrics(p, r.id),
        notes: runNotes(r),
      }))
    },
    'runs.metrics': async ({ runId }) => runMetrics(session.requireProject(), runId),
    'results.table': async ({ task }) => resultsTable(session.requireProject(), task),
  }
}
