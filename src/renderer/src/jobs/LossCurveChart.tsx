import { LineChart } from '../charts/LineChart'
import { trainingSeries } from '../charts/trainingSeries'
import { trainingTermKind, trainingTermLabel } from '../../../shared/trainingTerms'
import { lossTerms, type LossPoint } from './lossHistory'

/**
 * A training job's live curves, drawn as the run page draws its stored ones (charts/trainingSeries.ts): the
 * losses, the schedules and the validation score each on a chart of their own, so none squashes the losses
 * or reads as one.
 */
export function LossCurveChart({ history }: { history: LossPoint[] }) {
  const x = history[history.length - 1]?.axis ?? 'sample'
  const { losses, schedules, scores } = trainingSeries(
    lossTerms(history).map((t) => ({
      label: trainingTermLabel(t),
      kind: trainingTermKind(t),
      points: history.filter((p) => t in p.losses).map((p) => ({ x: p.x, y: p.losses[t] })),
    })),
    history.filter((p) => p.lr !== null).map((p) => ({ x: p.x, y: p.lr as number })),
  )
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
