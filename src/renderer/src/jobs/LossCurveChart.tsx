import { LineChart, type LineSeries } from '../charts/LineChart'
import { seriesColour } from '../charts/seriesColours'
import { trainingTermKind, trainingTermLabel, type TermKind } from '../../../shared/trainingTerms'
import { lossTerms, type LossPoint } from './lossHistory'

/**
 * A training job's live curves (shared/trainingTerms.ts says what each term is): the losses on one chart
 * with the learning rate dashed on its own axis; the other schedules (cross teaching's λ, DINO's teacher
 * temperature and momentum) and the validation score each on a chart of their own, so none squashes the
 * losses or reads as one.
 */
export function LossCurveChart({ history }: { history: LossPoint[] }) {
  const terms = lossTerms(history)
  const x = history[history.length - 1]?.axis ?? 'sample'
  const curves = (kind: TermKind): LineSeries[] =>
    terms
      .filter((t) => trainingTermKind(t) === kind)
      .map((t, i) => ({
        name: trainingTermLabel(t),
        colour: seriesColour(i),
        points: history.filter((p) => t in p.losses).map((p) => ({ x: p.x, y: p.losses[t] })),
      }))
  const losses = curves('loss')
  const lr = history.filter((p) => p.lr !== null).map((p) => ({ x: p.x, y: p.lr as number }))
  if (lr.length) losses.push({ name: 'learning rate', colour: '#6b6b6b', points: lr, axis: 'right' })
  // Two schedules of different sizes (a momentum near 1, a temperature near 0.04): the second on the right.
  const schedules = curves('schedule').map((s, i): LineSeries => (i === 1 ? { ...s, axis: 'right' } : s))
  const scores = curves('score')
  return (
    <>
      <LineChart series={losses} xLabel={x} yLabel="loss" rightLabel="learning rate" testId="loss-chart" />
      {schedules.length > 0 && (
        <LineChart
          series={schedules}
          xLabel={x}
          yLabel={schedules[0].name}
          rightLabel={schedules[1]?.name}
          testId="schedule-chart"
        />
      )}
      {scores.length > 0 && (
        <LineChart series={scores} xLabel={x} yLabel="score" testId="score-chart" yDomain={[0, 1]} />
      )}
    </>
  )
}
