import { LineChart, type LineSeries } from '../charts/LineChart'
import { seriesColour } from '../charts/seriesColours'
import { lossTerms, type LossPoint } from './lossHistory'

/** One line per loss term, the learning rate dashed on its own axis. */
export function LossCurveChart({ history }: { history: LossPoint[] }) {
  const terms = lossTerms(history)
  const series: LineSeries[] = terms.map((name, i) => ({
    name,
    colour: seriesColour(i),
    points: history.filter((p) => name in p.losses).map((p) => ({ x: p.x, y: p.losses[name] })),
  }))
  const lr = history.filter((p) => p.lr !== null).map((p) => ({ x: p.x, y: p.lr as number }))
  if (lr.length) series.push({ name: 'learning rate', colour: '#6b6b6b', points: lr, axis: 'right' })
  return (
    <LineChart
      series={series}
      xLabel={history[history.length - 1]?.axis ?? 'sample'}
      yLabel="loss"
      rightLabel="learning rate"
      testId="loss-chart"
    />
  )
}
