import type { RunSummary } from '../../../shared/training'
import { methodName, useMethods } from '../train/useMethods'
import { fractionLabel } from './groupResults'
import { metricLabel } from './metricLabel'

/** When a run started training; a queued run has not. The queue time is in the tooltip. */
export function startedLabel(run: Pick<RunSummary, 'startedAt' | 'createdAt'>): string {
  return run.startedAt ? new Date(run.startedAt).toLocaleString() : 'not yet'
}

/** Every stored run of a task (or the runs of one cell); a row opens the run's page. */
export function RunsTable({
  runs,
  task,
  headline,
  onOpenRun,
}: {
  runs: RunSummary[]
  task: string
  headline: string | null
  onOpenRun(runId: number): void
}) {
  const methods = useMethods()
  return (
    <table className="data-table" data-testid="runs-table">
      <thead>
        <tr>
          <th>#</th>
          <th>Method</th>
          <th>Backbone</th>
          <th>Label fraction</th>
          <th>Seed</th>
          <th>Status</th>
          <th>Backend</th>
          <th>{headline ? metricLabel(headline) : 'Score'}</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const score = headline !== null ? r.final[headline] : undefined
          return (
            <tr
              key={r.id}
              className={r.hidden ? 'clickable run-hidden' : 'clickable'}
              onClick={() => onOpenRun(r.id)}
            >
              <td>{r.id}</td>
              <td>
                <a
                  href={`#/run/${r.id}`}
                  onClick={(e) => {
                    e.preventDefault()
                    onOpenRun(r.id)
                  }}
                >
                  {methodName(methods, r.method, task)}
                </a>
                {r.hidden && <span className="muted small"> (hidden)</span>}
              </td>
              <td>{r.backbone}</td>
              <td>{fractionLabel(r.labelFraction)}</td>
              <td>{r.seed}</td>
              <td>
                <span className={`status-chip status-${r.status}`}>{r.status}</span>
              </td>
              <td title={r.backend ?? undefined}>{r.backend?.split(' ')[0] ?? '—'}</td>
              <td>
                {score !== undefined ? score.toFixed(4) : '—'}
                {r.error && <div className="run-error">{r.error}</div>}
                {r.notes.map((n) => (
                  <div key={n} className="muted small">
                    {n}
                  </div>
                ))}
              </td>
              <td className="muted" title={`queued ${new Date(r.createdAt).toLocaleString()}`}>
                {startedLabel(r)}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
