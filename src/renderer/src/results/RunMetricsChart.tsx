import { useEffect, useState } from 'react'
import { client } from '../api/client'
import { LineChart } from '../charts/LineChart'
import { trainingSeries } from '../charts/trainingSeries'
import { metricLabel } from './metricLabel'
import { hasTrainingTerm, trainingTermKind, trainingTermLabel } from '../../../shared/trainingTerms'
import { metricSeries, type MetricRow } from './metricSeries'

/**
 * A stored run's curves, reloaded while it is still going: the training loss terms with the learning rate
 * on its own axis, and any per-epoch scores (validation IoU, …). Final scores are in the runs table.
 */
export function RunMetricsChart({ runId, live }: { runId: number; live: boolean }) {
  const [rows, setRows] = useState<MetricRow[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let on = true
    const load = () =>
      client.call('runs.metrics', { runId }).then(
        (r) => on && setRows(r),
        (e: Error) => on && setError(e.message),
      )
    void load()
    const timer = live ? setInterval(load, 2000) : undefined
    return () => {
      on = false
      clearInterval(timer)
    }
  }, [runId, live])
  if (error)
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    )
  if (!rows) return <p className="muted">Loading…</p>
  const { xLabel, series } = metricSeries(rows)
  const curves = series.filter((s) => s.subset !== 'final')
  // Drawn as the live chart draws them (charts/trainingSeries.ts). Stored training terms are losses or
  // schedules; a score per epoch is stored under its own subset ('val'), where a term's name reads as the
  // term (validation F1 (macro)).
  const {
    losses: training,
    schedules,
    scores,
  } = trainingSeries(
    curves
      .filter((s) => s.name !== 'lr' || s.subset !== 'train')
      .map((s) =>
        s.subset === 'train'
          ? {
              label: metricLabel(s.name),
              kind: trainingTermKind(s.name) === 'schedule' ? ('schedule' as const) : ('loss' as const),
              points: s.points,
            }
          : {
              label:
                s.subset === 'val' && hasTrainingTerm(s.name)
                  ? trainingTermLabel(s.name)
                  : metricLabel(s.label),
              kind: 'score' as const,
              points: s.points,
            },
      ),
    curves.find((s) => s.subset === 'train' && s.name === 'lr')?.points ?? [],
  )
  if (training.length + schedules.length + scores.length === 0)
    return <p className="muted">This run has stored no curves yet.</p>
  return (
    <div className="run-charts" data-testid="run-charts">
      {training.length > 0 && (
        <div>
          <h3>Training loss</h3>
          <LineChart series={training} xLabel={xLabel} yLabel="loss" rightLabel="learning rate" />
        </div>
      )}
      {schedules.length > 0 && (
        <div>
          <h3>Schedules</h3>
          <LineChart
            series={schedules}
            xLabel={xLabel}
            yLabel={schedules[0].name}
            rightLabel={schedules[1]?.name}
          />
        </div>
      )}
      {scores.length > 0 && (
        <div>
          <h3>Scores</h3>
          <LineChart series={scores} xLabel={xLabel} yLabel="score" yDomain={[0, 1]} />
        </div>
      )}
    </div>
  )
}
