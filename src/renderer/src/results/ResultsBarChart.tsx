import { AxisTitles, BottomAxis, clampedY, LeftAxisGrid, SwatchLegendItem } from '../charts/ChartFrame'
import { niceTicks } from '../charts/niceTicks'
import { RESULTS_CHART_BOX } from './resultsChartBox'
import { seriesColour } from '../charts/seriesColours'
import { methodName, useMethods } from '../train/useMethods'
import { fractionLabel, type ResultsGrid, type ResultsRow } from './groupResults'
import { metricLabel } from './metricLabel'
import { evaluationMetric } from '../../../shared/evaluationMetrics'

const BOX = RESULTS_CHART_BOX
const { width: W, height: H, margin: M } = BOX

/** A score every bar should clear, drawn as a dashed line across the chart (the best constant answer). */
export interface ChartReference {
  value: number
  /** As the legend reads it: "always answering “nevus”, F1 (macro) 0.182". */
  label: string
}

/**
 * Grouped bars like the paper's Figure 5: one group per label fraction, one bar per method, ± 95 % CI;
 * with a `reference`, a dashed line at the score a constant answer gets.
 */
export function ResultsBarChart({
  grid,
  task,
  reference = null,
}: {
  grid: ResultsGrid
  task: string
  reference?: ChartReference | null
}) {
  const methods = useMethods()
  const rowName = (row: ResultsRow) => `${methodName(methods, row.method, task)} · ${row.backbone}`
  const cells = grid.rows.flatMap((r) => grid.fractions.map((f) => grid.cell(r.key, f))).filter((c) => !!c)
  // Every evaluation metric is a share in [0, 1] (shared/evaluationMetrics.ts): a t-interval over few seeds
  // can reach past 1, but the axis stops there.
  const ceiling = evaluationMetric(grid.metric) ? 1 : Infinity
  const top = Math.min(ceiling, Math.max(...cells.map((c) => c.mean + c.ci95), reference?.value ?? 0, 0))
  const y = niceTicks(0, top <= 1 ? Math.max(top, 0.2) : top, 5)
  // Clamped to the axis: a wide CI over few seeds must not draw below zero or out of the frame. A whisker
  // cut by the axis has no cap at that end, so it reads as running on.
  const sy = clampedY(BOX, y)
  const groupW = (W - M.left - M.right) / Math.max(1, grid.fractions.length)
  const barW = Math.min(36, (groupW * 0.8) / Math.max(1, grid.rows.length))
  return (
    <figure className="chart" data-testid="results-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${metricLabel(grid.metric)} by label fraction and method`}
      >
        <LeftAxisGrid box={BOX} ticks={y.ticks} sy={sy} />
        <BottomAxis box={BOX} />
        {grid.fractions.map((f, gi) => {
          const gx = M.left + gi * groupW + (groupW - barW * grid.rows.length) / 2
          return (
            <g key={f}>
              {grid.rows.map((row, mi) => {
                const c = grid.cell(row.key, f)
                if (!c) return null
                const x = gx + mi * barW
                const cx = x + barW / 2
                return (
                  <g key={row.key}>
                    <rect
                      x={x + 1}
                      width={barW - 2}
                      y={sy(c.mean)}
                      height={Math.max(0, sy(y.lo) - sy(c.mean))}
                      fill={seriesColour(mi)}
                      rx={2}
                    >
                      <title>
                        {`${rowName(row)} at ${fractionLabel(f)}: ${c.mean.toFixed(4)} ± ${c.ci95.toFixed(4)} (n = ${c.n})`}
                      </title>
                    </rect>
                    {c.ci95 > 0 && (
                      <g
                        className="error-bar"
                        data-cut={[c.mean + c.ci95 > y.hi && 'top', c.mean - c.ci95 < y.lo && 'bottom']
                          .filter(Boolean)
                          .join(' ')}
                      >
                        <line x1={cx} x2={cx} y1={sy(c.mean - c.ci95)} y2={sy(c.mean + c.ci95)} />
                        {c.mean + c.ci95 <= y.hi && (
                          <line x1={cx - 4} x2={cx + 4} y1={sy(c.mean + c.ci95)} y2={sy(c.mean + c.ci95)} />
                        )}
                        {c.mean - c.ci95 >= y.lo && (
                          <line x1={cx - 4} x2={cx + 4} y1={sy(c.mean - c.ci95)} y2={sy(c.mean - c.ci95)} />
                        )}
                      </g>
                    )}
                  </g>
                )
              })}
              <text
                className="tick"
                x={M.left + gi * groupW + groupW / 2}
                y={H - M.bottom + 18}
                textAnchor="middle"
              >
                {fractionLabel(f)}
              </text>
            </g>
          )
        })}
        {reference && (
          <line
            className="reference-line"
            data-testid="chart-reference-line"
            x1={M.left}
            x2={W - M.right}
            y1={sy(reference.value)}
            y2={sy(reference.value)}
          >
            <title>{reference.label}</title>
          </line>
        )}
        <AxisTitles box={BOX} x="label fraction" y={metricLabel(grid.metric)} />
      </svg>
      <figcaption className="legend-row">
        {grid.rows.map((row, i) => (
          <SwatchLegendItem key={row.key} colour={seriesColour(i)}>
            {rowName(row)}
          </SwatchLegendItem>
        ))}
        {reference && (
          <span className="legend-item">
            <span className="legend-line legend-line-dashed" aria-hidden="true" />
            {reference.label}
          </span>
        )}
        <span className="muted">bars: mean over seeds · whiskers: 95 % CI</span>
      </figcaption>
    </figure>
  )
}
