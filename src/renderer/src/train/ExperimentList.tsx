import { useEffect, useState } from 'react'
import type { ExperimentStatistics, ExperimentSummary } from '../../../shared/experiments'
import { client } from '../api/client'
import { formatDuration } from '../../../shared/formatDuration'
import { ProgressBar } from '../ui/ProgressBar'
import { percent } from './percent'
import { methodName, useMethods } from './useMethods'

/** The score an experiment's table shows: the paper's headline for the task. */
const HEADLINE = { segmentation: 'testIou', classification: 'testF1Macro' } as const
const HEADLINE_NAME = { segmentation: 'test IoU (dataset-level)', classification: 'test F1 (macro)' } as const

interface Loaded {
  experiment: ExperimentSummary
  statistics: ExperimentStatistics
}

/** Every experiment of the project, newest first, refreshed as its runs finish. */
export function ExperimentList() {
  const [loaded, setLoaded] = useState<Loaded[]>([])
  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = async () => {
      const list = await client.call('experiments.list', {})
      const withStats = await Promise.all(
        list.map(async (experiment) => ({
          experiment,
          statistics: await client.call('experiments.statistics', {
            experimentId: experiment.id,
            metric: HEADLINE[experiment.spec.tasks[0]],
          }),
        })),
      )
      if (live) setLoaded(withStats.reverse())
    }
    const soon = () => {
      clearTimeout(timer)
      timer = setTimeout(() => void load().catch(() => undefined), 300)
    }
    soon()
    const off = client.onEvent((e) => {
      if ((e.type === 'job' && e.job.kind === 'train' && e.job.status !== 'running') || e.type === 'project')
        soon()
    })
    // The ETA counts down between events too.
    const tick = setInterval(soon, 10_000)
    return () => {
      live = false
      off()
      clearTimeout(timer)
      clearInterval(tick)
    }
  }, [])
  if (loaded.length === 0) return null
  return (
    <div className="experiment-list">
      {loaded.map((l) => (
        <ExperimentCard key={l.experiment.id} {...l} />
      ))}
    </div>
  )
}

function ExperimentCard({ experiment, statistics }: Loaded) {
  const methods = useMethods()
  const p = experiment.progress
  const task = experiment.spec.tasks[0]
  const rows = [...new Set(experiment.runs.map((r) => `${r.cell.method}|${r.cell.backbone ?? ''}`))]
  const fractions = [...new Set(experiment.runs.map((r) => r.cell.labelFraction))].sort((a, b) => a - b)
  const eta =
    p.queued + p.running === 0
      ? 'finished'
      : p.etaSeconds === null
        ? 'time left known after the first run'
        : `about ${formatDuration(p.etaSeconds)} left`
  return (
    <article className="experiment" data-testid="experiment" data-experiment-id={experiment.id}>
      <h3>{experiment.name}</h3>
      <ProgressBar fraction={p.total ? p.succeeded / p.total : null} label={`${experiment.name} progress`} />
      <p className="muted" data-testid="experiment-progress">
        {p.succeeded} of {p.total} runs done
        {p.reused > 0 && ` (${p.reused} reused)`}
        {p.running > 0 && ` · ${p.running} running${p.running > 1 ? ' side by side' : ''}`}
        {p.queued > 0 && ` · ${p.queued} queued`}
        {p.failed > 0 && ` · ${p.failed} failed`}
        {p.cancelled > 0 && ` · ${p.cancelled} cancelled`} · {eta}
      </p>
      <table
        className="data-table compact"
        data-testid="experiment-table"
        aria-label={`${experiment.name}: ${HEADLINE_NAME[task]}`}
      >
        <caption>{HEADLINE_NAME[task]}: mean ± 95 % interval over seeds (n seeds)</caption>
        <thead>
          <tr>
            <th scope="col">Method</th>
            {fractions.map((f) => (
              <th key={f} scope="col">
                {f === 0 ? 'no labels' : percent(f)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const [method, backbone] = row.split('|')
            return (
              <tr key={row}>
                <th scope="row">
                  {methodName(methods, method, task)}
                  {backbone && ` · ${backbone}`}
                </th>
                {fractions.map((f) => {
                  const cell = statistics.cells.find(
                    (c) => c.method === method && (c.backbone ?? '') === backbone && c.labelFraction === f,
                  )
                  const planned = experiment.runs.some(
                    (r) =>
                      r.cell.method === method &&
                      (r.cell.backbone ?? '') === backbone &&
                      r.cell.labelFraction === f,
                  )
                  return (
                    <td key={f} data-testid="experiment-cell" data-filled={cell ? 'yes' : 'no'}>
                      {!planned ? '' : !cell ? '…' : <CellValue cell={cell} />}
                    </td>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
      </table>
      {statistics.comparisons.length > 0 && (
        <ul className="comparisons" aria-label="Comparisons">
          {statistics.comparisons.map((c) => (
            <li key={c.statement}>{c.statement}</li>
          ))}
        </ul>
      )}
    </article>
  )
}

function CellValue({ cell }: { cell: ExperimentStatistics['cells'][number] }) {
  const repeats = cell.repeats.length
  return (
    <span title={cell.intervalNote ?? undefined}>
      {cell.mean.toFixed(3)}
      {cell.interval ? ` ± ${cell.interval.halfWidth.toFixed(3)}` : ''} (n = {cell.n})
      {!cell.interval && <small className="muted"> interval not meaningful</small>}
      {repeats > 0 && (
        <small className="muted">
          {' '}
          · {repeats} repeat{repeats > 1 ? 's' : ''}
          {cell.repeats.some((r) => !r.agrees) ? ', not agreeing' : ''}
        </small>
      )}
    </span>
  )
}
