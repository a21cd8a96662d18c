import { useEffect, useState } from 'react'
import { client } from '../api/client'
import { LineChart, type LineSeries } from '../charts/LineChart'
import { seriesColour } from '../charts/seriesColours'
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
  // As the live chart draws them (shared/trainingTerms.ts): losses with the learning rate on its own axis,
  // the other schedules apart.
  const trained = curves.filter((s) => s.subset === 'train' && s.name !== 'lr')
  const training: LineSeries[] = trained
    .filter((s) => trainingTermKind(s.name) !== 'schedule')
    .map((s, i) => ({ name: metricLabel(s.name), colour: seriesColour(i), points: s.points }))
  const lr = curves.find((s) => s.subset === 'train' && s.name === 'lr')
  if (lr) training.push({ name: 'learning rate', colour: '#6b6b6b', points: lr.points, axis: 'right' })
  const schedules: LineSeries[] = trained
    .filter((s) => trainingTermKind(s.name) === 'schedule')
    .map((s, i) => ({
      name: metricLabel(s.name),
      colour: seriesColour(i),
      points: s.points,
      ...(i === 1 ? { axis: 'right' as const } : {}),
    }))
  const scores: LineSeries[] = curves
    .filter((s) => s.subset !== 'train')
    .map((s, i) => ({
      // A per-epoch validation score stored under 'val' reads by its term's name (validation F1 (macro)).
      name: s.subset === 'val' && hasTrainingTerm(s.name) ? trainingTermLabel(s.name) : metricLabel(s.label),
      colour: seriesColour(i + 3),
      points: s.points,
    }))
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
