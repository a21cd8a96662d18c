import type { LabelBudgetCurve } from '../../../shared/labelBudget'
import { AxisTitles, BottomAxis, clampedY, LeftAxisGrid, SwatchLegendItem } from '../charts/ChartFrame'
import { niceTicks } from '../charts/niceTicks'
import { RESULTS_CHART_BOX } from './resultsChartBox'
import { seriesColour } from '../charts/seriesColours'

const BOX = RESULTS_CHART_BOX
const { width: W, height: H, margin: M } = BOX

/** Each method's fitted learning curve (line, with its 95 % band) over the scores it was fitted to (dots). */
export function LearningCurveChart({
  curves,
  names,
  yLabel,
}: {
  curves: LabelBudgetCurve[]
  names: string[]
  yLabel: string
}) {
  const ns = curves.flatMap((c) => [...c.points.map((p) => p.n), ...c.curve.map((p) => p.n)])
  const ys = curves.flatMap((c) => [
    ...c.points.flatMap((p) => p.values),
    ...c.curve.flatMap((p) => [p.lower, p.upper]),
  ])
  if (!ns.length) return null
  const x = niceTicks(0, Math.max(...ns), 6)
  const y = niceTicks(Math.max(0, Math.min(...ys) - 0.05), Math.min(1, Math.max(...ys) + 0.02), 5)
  const sx = (n: number) => M.left + ((n - x.lo) / (x.hi - x.lo || 1)) * (W - M.left - M.right)
  const sy = clampedY(BOX, y)
  return (
    <figure className="chart" data-testid="learning-curve-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${yLabel} by labelled images, fitted learning curves`}
      >
        <LeftAxisGrid box={BOX} ticks={y.ticks} sy={sy} />
        <BottomAxis box={BOX} ticks={x.ticks} sx={sx} />
        {curves.map((c, i) => {
          const colour = seriesColour(i)
          const band =
            c.curve.length > 1
              ? [
                  ...c.curve.map((p) => `${sx(p.n).toFixed(1)},${sy(p.upper).toFixed(1)}`),
                  ...[...c.curve].reverse().map((p) => `${sx(p.n).toFixed(1)},${sy(p.lower).toFixed(1)}`),
                ].join(' ')
              : null
          return (
            <g key={`${c.method}|${c.backbone}`}>
              {band && <polygon points={band} fill={colour} opacity={0.15} />}
              {c.curve.length > 1 && (
                <path
                  d={c.curve
                    .map((p, j) => `${j ? 'L' : 'M'}${sx(p.n).toFixed(1)},${sy(p.y).toFixed(1)}`)
                    .join('')}
                  fill="none"
                  stroke={colour}
                  strokeWidth={2}
                  data-series={names[i]}
                />
              )}
              {c.points.flatMap((p) =>
                p.values.map((v, k) => (
                  <circle
                    key={`${p.n}-${k}`}
                    cx={sx(p.n)}
                    cy={sy(v)}
                    r={3.5}
                    fill={colour}
                    stroke="#fff"
                    data-point
                  >
                    <title>{`${names[i]}: ${p.n} labelled images, ${v.toFixed(4)}`}</title>
                  </circle>
                )),
              )}
            </g>
          )
        })}
        <AxisTitles box={BOX} x="labelled images" y={yLabel} />
      </svg>
      <figcaption className="legend-row">
        {curves.map((c, i) => (
          <SwatchLegendItem key={`${c.method}|${c.backbone}`} colour={seriesColour(i)}>
            {names[i]}
            {c.refused && <span className="muted"> (not fitted)</span>}
          </SwatchLegendItem>
        ))}
        <span className="muted">dots: runs (one per seed) · line: fitted curve · band: 95 % interval</span>
      </figcaption>
    </figure>
  )
}
