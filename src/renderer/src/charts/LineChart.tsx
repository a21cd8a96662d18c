import { AxisTitles, BottomAxis, LeftAxisGrid, type ChartBox } from './ChartFrame'
import { formatTick, niceTicks } from './niceTicks'

export interface LineSeries {
  name: string
  colour: string
  points: { x: number; y: number }[]
  /** Series on the right axis (e.g. the learning rate) are dashed and scaled on their own. */
  axis?: 'left' | 'right'
}

const BOX: ChartBox = { width: 640, height: 260, margin: { top: 12, right: 56, bottom: 34, left: 52 } }
const { width: W, height: H, margin: M } = BOX

function scale(lo: number, hi: number, a: number, b: number) {
  const span = hi - lo || 1
  return (v: number) => a + ((v - lo) / span) * (b - a)
}

function path(points: { x: number; y: number }[], sx: (v: number) => number, sy: (v: number) => number) {
  return points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('')
}

/** A small SVG line chart: loss terms on the left axis, optionally one quantity on a right axis. */
export function LineChart({
  series,
  xLabel,
  yLabel,
  rightLabel,
  testId,
  yDomain,
}: {
  series: LineSeries[]
  xLabel: string
  yLabel: string
  rightLabel?: string
  testId?: string
  /** The left axis's span when the values have one (a score: 0 to 1), however little of it they use. */
  yDomain?: [number, number]
}) {
  const left = series.filter((s) => s.axis !== 'right')
  const right = series.filter((s) => s.axis === 'right')
  const all = series.flatMap((s) => s.points)
  if (all.length === 0) {
    return (
      <div className="chart-empty muted" data-testid={testId}>
        Waiting for the first values…
      </div>
    )
  }
  const xs = all.map((p) => p.x)
  const x = niceTicks(Math.min(...xs), Math.max(...xs), 6)
  const ly = left.flatMap((s) => s.points.map((p) => p.y))
  const ry = right.flatMap((s) => s.points.map((p) => p.y))
  const yl = yDomain
    ? niceTicks(Math.min(yDomain[0], ...ly), Math.max(yDomain[1], ...ly), 5)
    : niceTicks(Math.min(0, ...ly), Math.max(...ly, 0), 5)
  const yr = ry.length ? niceTicks(Math.min(0, ...ry), Math.max(...ry), 5) : null
  const sx = scale(x.lo, x.hi, M.left, W - M.right)
  const syl = scale(yl.lo, yl.hi, H - M.bottom, M.top)
  const syr = yr ? scale(yr.lo, yr.hi, H - M.bottom, M.top) : syl
  return (
    <figure className="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${yLabel} by ${xLabel}`}>
        <LeftAxisGrid box={BOX} ticks={yl.ticks} sy={syl} />
        {yr?.ticks.map((t) => (
          <text key={`yr${t}`} className="tick" x={W - M.right + 6} y={syr(t) + 4}>
            {formatTick(t)}
          </text>
        ))}
        <BottomAxis box={BOX} ticks={x.ticks} sx={sx} />
        <AxisTitles box={BOX} x={xLabel} y={yLabel} />
        {rightLabel && yr && (
          <text
            className="axis-label"
            transform={`translate(${W - 8} ${(H - M.bottom) / 2}) rotate(90)`}
            textAnchor="middle"
          >
            {rightLabel}
          </text>
        )}
        {series.map((s) => (
          <path
            key={s.name}
            d={path(s.points, sx, s.axis === 'right' ? syr : syl)}
            fill="none"
            stroke={s.colour}
            strokeWidth={s.axis === 'right' ? 1.5 : 2}
            strokeDasharray={s.axis === 'right' ? '5 4' : undefined}
            data-series={s.name}
          />
        ))}
        {/* A series of one point draws no line: a dot shows it is there. */}
        {series
          .filter((s) => s.points.length === 1)
          .map((s) => (
            <circle
              key={`dot-${s.name}`}
              cx={sx(s.points[0].x)}
              cy={(s.axis === 'right' ? syr : syl)(s.points[0].y)}
              r={3}
              fill={s.colour}
              data-series-dot={s.name}
            />
          ))}
      </svg>
      <figcaption className="legend-row">
        {series.map((s) => (
          <span key={s.name} className="legend-item">
            <span
              className={s.axis === 'right' ? 'legend-line legend-line-dashed' : 'legend-line'}
              style={{ borderColor: s.colour }}
            />
            {s.name}
            {s.points.length > 0 && (
              <span className="muted"> {formatTick(s.points[s.points.length - 1].y)}</span>
            )}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
