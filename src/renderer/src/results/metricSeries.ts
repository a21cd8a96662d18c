export interface MetricRow {
  epoch: number | null
  step: number | null
  subset: string | null
  name: string
  value: number
}

export interface MetricSeries {
  /** "val iou", "train loss", or just the name when the row has no subset. */
  label: string
  subset: string | null
  name: string
  points: { x: number; y: number }[]
}

/**
 * A run's stored metrics as curves, one per subset and name, ordered along x. x is the epoch when rows
 * carry one (several rows in one epoch spread over it), else the step, else the row's position; rows
 * without a finite value are left out.
 */
export function metricSeries(rows: MetricRow[]): { xLabel: string; series: MetricSeries[] } {
  const useEpoch = rows.some((r) => r.epoch !== null)
  const useStep = !useEpoch && rows.some((r) => r.step !== null)
  const byLabel = new Map<string, MetricSeries>()
  rows.forEach((r, i) => {
    if (!Number.isFinite(r.value)) return
    const x = useEpoch ? r.epoch : useStep ? r.step : i
    if (x === null) return
    const label = r.subset ? `${r.subset} ${r.name}` : r.name
    const series = byLabel.get(label) ?? { label, subset: r.subset, name: r.name, points: [] }
    series.points.push({ x, y: r.value })
    byLabel.set(label, series)
  })
  const series = [...byLabel.values()].map((m) => ({ ...m, points: m.points.sort((a, b) => a.x - b.x) }))
  // A run stores a curve every few steps, so one epoch may hold several rows: spread them evenly over the
  // epoch they end (the k-th of n at epoch e is at e − 1 + k/n, as the live chart places its samples),
  // instead of stacking them on one x as a vertical line.
  if (useEpoch)
    for (const m of series) {
      const perEpoch = new Map<number, number>()
      for (const p of m.points) perEpoch.set(p.x, (perEpoch.get(p.x) ?? 0) + 1)
      const seen = new Map<number, number>()
      m.points = m.points.map((p) => {
        const n = perEpoch.get(p.x)!
        const k = (seen.get(p.x) ?? 0) + 1
        seen.set(p.x, k)
        return n > 1 ? { x: p.x - 1 + k / n, y: p.y } : p
      })
    }
  return { xLabel: useEpoch ? 'epoch' : useStep ? 'step' : 'record', series }
}
