import { useEffect, useState } from 'react'
import { client } from '../api/client'
import { LineChart } from '../charts/LineChart'
import { seriesColour } from '../charts/seriesColours'
import { metricSeries, type MetricRow } from './metricSeries'

/** A stored run's metric curves, reloaded while the run is still going. */
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
  // Losses and scores live on different scales: chart them apart.
  const isLoss = (label: string) => /loss/i.test(label)
  const losses = series.filter((s) => isLoss(s.label))
  const scores = series.filter((s) => !isLoss(s.label))
  if (series.length === 0) return <p className="muted">This run has stored no metrics yet.</p>
  return (
    <div className="run-charts">
      {scores.length > 0 && (
        <LineChart
          series={scores.map((s, i) => ({ name: s.label, colour: seriesColour(i), points: s.points }))}
          xLabel={xLabel}
          yLabel="score"
        />
      )}
      {losses.length > 0 && (
        <LineChart
          series={losses.map((s, i) => ({ name: s.label, colour: seriesColour(i + 3), points: s.points }))}
          xLabel={xLabel}
          yLabel="loss"
        />
      )}
    </div>
  )
}
