import { useEffect, useState } from 'react'
import type { JobState } from '../../../shared/events'
import { client } from '../api/client'
import { appendLossPoint, lossHistoryFromMetrics, type LossPoint } from '../jobs/lossHistory'

export interface LiveJobs {
  /** Every job this session knows, newest first. */
  jobs: JobState[]
  /** Loss samples per job id, gathered from the event stream while this window was open. */
  losses: Record<string, LossPoint[]>
}

/** Jobs as the event stream reports them: one list for the jobs panel, the status bar and the dialogs. */
export function useLiveJobs(): LiveJobs {
  const [byId, setById] = useState<Record<string, JobState>>({})
  const [losses, setLosses] = useState<Record<string, LossPoint[]>>({})
  useEffect(() => {
    let live = true
    const off = client.onEvent((e) => {
      if (e.type !== 'job') return
      setById((m) => ({ ...m, [e.job.id]: e.job }))
      setLosses((m) => {
        const before = m[e.job.id] ?? []
        const after = appendLossPoint(before, e.job.progress)
        return after === before ? m : { ...m, [e.job.id]: after }
      })
    })
    client.call('jobs.list', {}).then(
      (list) => {
        if (!live) return
        // Events that arrived meanwhile are newer than the list: keep them.
        setById((m) => ({ ...Object.fromEntries(list.map((j) => [j.id, j])), ...m }))
        // A training job already under way: its curve so far is in its running run's stored metrics.
        const running = list.filter(
          (j) => j.kind === 'train' && j.status === 'running' && j.runIds.length > 0,
        )
        if (running.length === 0) return
        void client.call('runs.list', {}).then(
          async (runs) => {
            for (const job of running) {
              const run = runs.find((r) => job.runIds.includes(r.id) && r.status === 'running')
              if (!run) continue
              const rows = await client.call('runs.metrics', { runId: run.id })
              if (live) setLosses((m) => ({ ...m, [job.id]: lossHistoryFromMetrics(rows, m[job.id]) }))
            }
          },
          () => undefined,
        )
      },
      () => undefined,
    )
    return () => {
      live = false
      off()
    }
  }, [])
  const jobs = Object.values(byId).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  return { jobs, losses }
}
