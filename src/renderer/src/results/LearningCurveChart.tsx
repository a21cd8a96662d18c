import type { LabelBudgetCurve } from '../../../shared/labelBudget'
import { formatTick, niceTicks } from '../charts/niceTicks'
import { seriesColour } from '../charts/seriesColours'

const W = 760
const H = 300
const M = { top: 14, right: 16, bottom: 44, left: 56 }

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
  const sy = (v: number) =>
    H - M.bottom - ((Math.min(y.hi, Math.max(y.lo, v)) - y.lo) / (y.hi - y.lo || 1)) * (H - M.top - M.bottom)
  return (
    <figure className="chart" data-testid="learning-curve-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${yLabel} by labelled images, fitted learning curves`}
      >
        {y.ticks.map((t) => (
          <g key={t}>
            <line className="grid-line" x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} />
            <text className="tick" x={M.left - 6} y={sy(t) + 4} textAnchor="end">
              {formatTick(t)}
            </text>
          </g>
        ))}
        {x.ticks.map((t) => (
          <text key={`x${t}`} className="tick" x={sx(t)} y={H - M.bottom + 16} textAnchor="middle">
            {formatTick(t)}
          </text>
        ))}
        <line className="axis-line" x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
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
        <text className="axis-label" x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle">
          labelled images
        </text>
        <text
          className="axis-label"
          transform={`translate(12 ${(H - M.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          {yLabel}
        </text>
      </svg>
      <figcaption className="legend-row">
        {curves.map((c, i) => (
          <span key={`${c.method}|${c.backbone}`} className="legend-item">
            <span className="swatch" style={{ background: seriesColour(i) }} />
            {names[i]}
            {c.refused && <span className="muted"> (not fitted)</span>}
          </span>
        ))}
        <span className="muted">dots: runs (one per seed) · line: fitted curve · band: 95 % interval</span>
      </figcaption>
    </figure>
  )
}
