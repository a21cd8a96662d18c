import type { ReactNode } from 'react'
import { formatTick, type Ticks } from './niceTicks'

/**
 * What every SVG chart of the app draws the same way around its data: the size and margins, the
 * horizontal grid with the left axis's ticks, the bottom axis's ticks and line, and the two axis titles.
 */

export interface ChartBox {
  width: number
  height: number
  margin: { top: number; right: number; bottom: number; left: number }
}

/** Value → y pixel on the left axis, clamped to the axis: a wide interval must not draw out of the frame. */
export function clampedY(box: ChartBox, y: Ticks): (v: number) => number {
  const { height: H, margin: M } = box
  return (v) =>
    H - M.bottom - ((Math.min(y.hi, Math.max(y.lo, v)) - y.lo) / (y.hi - y.lo || 1)) * (H - M.top - M.bottom)
}

/** The horizontal grid lines at the left axis's ticks, each with its value. */
export function LeftAxisGrid({
  box,
  ticks,
  sy,
}: {
  box: ChartBox
  ticks: number[]
  sy: (v: number) => number
}) {
  const { width: W, margin: M } = box
  return ticks.map((t) => (
    <g key={`yl${t}`}>
      <line className="grid-line" x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} />
      <text className="tick" x={M.left - 6} y={sy(t) + 4} textAnchor="end">
        {formatTick(t)}
      </text>
    </g>
  ))
}

/** The bottom axis: its line and, when given, the values at its ticks. */
export function BottomAxis({
  box,
  ticks = [],
  sx,
}: {
  box: ChartBox
  ticks?: number[]
  sx?: (v: number) => number
}) {
  const { width: W, height: H, margin: M } = box
  return (
    <>
      {sx &&
        ticks.map((t) => (
          <text key={`x${t}`} className="tick" x={sx(t)} y={H - M.bottom + 16} textAnchor="middle">
            {formatTick(t)}
          </text>
        ))}
      <line className="axis-line" x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
    </>
  )
}

/** The bottom axis's title under it and the left axis's title turned along it. */
export function AxisTitles({ box, x, y }: { box: ChartBox; x: string; y: string }) {
  const { width: W, height: H, margin: M } = box
  return (
    <>
      <text className="axis-label" x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle">
        {x}
      </text>
      <text
        className="axis-label"
        transform={`translate(12 ${(H - M.bottom) / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {y}
      </text>
    </>
  )
}

/** One legend entry with a colour swatch. */
export function SwatchLegendItem({ colour, children }: { colour: string; children: ReactNode }) {
  return (
    <span className="legend-item">
      <span className="swatch" style={{ background: colour }} />
      {children}
    </span>
  )
}
