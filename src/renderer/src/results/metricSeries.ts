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
  points: { x: number; y: number }[]
}

/**
 * A run's stored metrics as curves, one per subset and name, ordered along x. x is the epoch when rows
 * carry one, else the step, else the row's position; rows without a finite value are left out.
 */
export function metricSeries(rows: MetricRow[]): { xLabel: string; series: MetricSeries[] } {
  const useEpoch = rows.some((r) => r.epoch !== null)
  const useStep = !useEpoch && rows.some((r) => r.step !== null)
  const byLabel = new Map<string, { x: number; y: number }[]>()
  rows.forEach((r, i) => {
    if (!Number.isFinite(r.value)) return
    const x = useEpoch ? r.epoch : useStep ? r.step : i
    if (x === null) return
    const label = r.subset ? `${r.subset} ${r.name}` : r.name
    const pts = byLabel.get(label) ?? []
    pts.push({ x, y: r.value })
    byLabel.set(label, pts)
  })
  return {
    xLabel: useEpoch ? 'epoch' : useStep ? 'step' : 'record',
    series: [...byLabel].map(([label, points]) => ({ label, points: points.sort((a, b) => a.x - b.x) })),
  }
}
