/** Round tick values and the axis range they span. */
export interface Ticks {
  ticks: number[]
  lo: number
  hi: number
}

/**
 * Round axis ticks covering [min, max]: steps of 1, 2 or 5 × 10^k, about `count` of them. Returns the
 * widened domain too, so data never touches the frame.
 */
export function niceTicks(min: number, max: number, count = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0, 1], lo: 0, hi: 1 }
  if (min > max) [min, max] = [max, min]
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1
    min -= pad
    max += pad
  }
  const rough = (max - min) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(rough))
  const unit = rough / mag
  const step = (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * mag
  const lo = Math.floor(min / step) * step
  const hi = Math.ceil(max / step) * step
  const ticks: number[] = []
  // Rounding to the step's decimals keeps 0.30000000000000004 out of the labels.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)))
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(decimals)))
  return { ticks, lo, hi }
}

/** A compact tick label: few digits, exponent form for tiny or huge values (learning rates). */
export function formatTick(v: number): string {
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a < 1e-3 || a >= 1e5) return v.toExponential(0).replace('e-', 'e−')
  return String(Number(v.toPrecision(4)))
}
