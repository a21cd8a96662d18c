import { createSeededRandom } from '../engine/seededRandom'

/**
 * Learning curves: how a score grows with the number of labelled images, as the inverse power law
 * y(n) = a − b·n^(−c) (a: the score with unlimited labels; b, c > 0: how fast the gap closes), the form
 * learning-curve studies fit to test error against training-set size. Fitted by least squares over every
 * run (each seed is a point), profiled over c: for a fixed c the model is linear in a and b, so they have a
 * closed form and only c is searched (a log grid, then golden section). The uncertainty comes from the
 * seeds: the fit is repeated on bootstrap resamples of each label budget's seeds, and intervals are the
 * 2.5th and 97.5th percentiles of what the refits say.
 */

export interface PowerLaw {
  a: number
  b: number
  c: number
}

/** The measured runs at one label budget: n labelled images, one value per seed. */
export interface LearningCurvePoint {
  n: number
  values: number[]
}

export interface LearningCurve {
  fit: PowerLaw
  points: LearningCurvePoint[]
  /** The fit on each bootstrap resample of the seeds. */
  replicates: PowerLaw[]
}

export interface Estimate {
  value: number
  lower: number
  upper: number
}

/** Fewer label budgets than this and a three-parameter curve is not fitted: it would say nothing. */
export const MIN_BUDGETS = 3
const C_RANGE: [number, number] = [0.02, 4]

export function powerLawAt(f: PowerLaw, n: number): number {
  return f.a - f.b * Math.pow(n, -f.c)
}

/** The number of labelled images at which the curve reaches y; Infinity when it never does. */
export function labelsFor(f: PowerLaw, y: number): number {
  if (!(f.b > 0) || !(f.c > 0) || y >= f.a) return Infinity
  return Math.pow(f.b / (f.a - y), 1 / f.c)
}

/** a and b for a fixed c by least squares (y = a − b·x with x = n^−c), and the squared error left. */
function linearPart(ns: number[], ys: number[], c: number): { a: number; b: number; sse: number } {
  const xs = ns.map((n) => Math.pow(n, -c))
  const m = xs.length
  const mx = xs.reduce((s, x) => s + x, 0) / m
  const my = ys.reduce((s, y) => s + y, 0) / m
  let sxx = 0
  let sxy = 0
  for (let i = 0; i < m; i++) {
    sxx += (xs[i] - mx) ** 2
    sxy += (xs[i] - mx) * (ys[i] - my)
  }
  const slope = sxx > 0 ? sxy / sxx : 0
  const a = my - slope * mx
  const b = -slope
  let sse = 0
  for (let i = 0; i < m; i++) sse += (ys[i] - (a - b * xs[i])) ** 2
  return { a, b, sse }
}

/**
 * The least-squares inverse power law through (n, y) points. A curve that does not rise with n (b ≤ 0 at
 * every c) is returned flat: b = 0, a = the mean.
 */
export function fitPowerLaw(ns: number[], ys: number[]): PowerLaw {
  if (ns.length !== ys.length) throw new Error(`${ns.length} label counts for ${ys.length} scores`)
  if (new Set(ns).size < MIN_BUDGETS)
    throw new Error(
      `A learning curve needs runs at ${MIN_BUDGETS} or more label budgets, got ${new Set(ns).size}`,
    )
  for (const n of ns) if (!(n > 0)) throw new Error(`A label budget is a positive number of images, got ${n}`)
  const sseAt = (logC: number) => {
    const r = linearPart(ns, ys, Math.exp(logC))
    return r.b > 0 ? r.sse : Infinity
  }
  const [lo, hi] = C_RANGE.map(Math.log)
  const steps = 80
  let best = -1
  let bestSse = Infinity
  for (let i = 0; i <= steps; i++) {
    const s = sseAt(lo + ((hi - lo) * i) / steps)
    if (s < bestSse) {
      bestSse = s
      best = i
    }
  }
  if (best < 0) {
    const mean = ys.reduce((s, y) => s + y, 0) / ys.length
    return { a: mean, b: 0, c: 1 }
  }
  // Golden-section search between the grid neighbours of the best grid point.
  let left = lo + ((hi - lo) * Math.max(0, best - 1)) / steps
  let right = lo + ((hi - lo) * Math.min(steps, best + 1)) / steps
  const g = (Math.sqrt(5) - 1) / 2
  let x1 = right - g * (right - left)
  let x2 = left + g * (right - left)
  let f1 = sseAt(x1)
  let f2 = sseAt(x2)
  for (let i = 0; i < 100 && right - left > 1e-12; i++) {
    if (f1 <= f2) {
      right = x2
      x2 = x1
      f2 = f1
      x1 = right - g * (right - left)
      f1 = sseAt(x1)
    } else {
      left = x1
      x1 = x2
      f1 = f2
      x2 = left + g * (right - left)
      f2 = sseAt(x2)
    }
  }
  const c = Math.exp((left + right) / 2)
  const { a, b } = linearPart(ns, ys, c)
  return { a, b, c }
}

function flatten(points: LearningCurvePoint[]): { ns: number[]; ys: number[] } {
  const ns: number[] = []
  const ys: number[] = []
  for (const p of points)
    for (const v of p.values) {
      ns.push(p.n)
      ys.push(v)
    }
  return { ns, ys }
}

/** Fits the curve and its bootstrap replicates; refuses (with the reason) below MIN_BUDGETS label budgets. */
export function fitLearningCurve(
  points: LearningCurvePoint[],
  opts: { replicates?: number; seed?: number } = {},
): LearningCurve | { refused: string } {
  const usable = points.filter((p) => p.n > 0 && p.values.length > 0)
  if (usable.length < MIN_BUDGETS)
    return {
      refused: `needs finished runs at ${MIN_BUDGETS} or more label fractions to fit a learning curve; has ${usable.length}`,
    }
  const { ns, ys } = flatten(usable)
  const fit = fitPowerLaw(ns, ys)
  const random = createSeededRandom(opts.seed ?? 0)
  const replicates: PowerLaw[] = []
  for (let r = 0; r < (opts.replicates ?? 200); r++) {
    const resampled = usable.map((p) => ({
      n: p.n,
      values: p.values.map(() => p.values[random.nextInt(p.values.length)]),
    }))
    const flat = flatten(resampled)
    replicates.push(fitPowerLaw(flat.ns, flat.ys))
  }
  return { fit, points: usable, replicates }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  const at = (sorted.length - 1) * q
  const i = Math.floor(at)
  const frac = at - i
  if (i + 1 >= sorted.length) return sorted[i]
  const [lo, hi] = [sorted[i], sorted[i + 1]]
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return frac === 0 ? lo : hi
  return lo + frac * (hi - lo)
}

function estimate(value: number, samples: number[]): Estimate {
  const sorted = [...samples].sort((x, y) => x - y)
  return { value, lower: percentile(sorted, 0.025), upper: percentile(sorted, 0.975) }
}

/** The curve's score at n labelled images, with its 95 % bootstrap interval. */
export function scoreAt(curve: LearningCurve, n: number): Estimate {
  return estimate(
    powerLawAt(curve.fit, n),
    curve.replicates.map((r) => powerLawAt(r, n)),
  )
}

/**
 * How many labelled images the reference method needs to score what `curve` scores with n: the reference
 * curve inverted at the other's fitted score, replicate by replicate for the interval (Infinity: never).
 */
export function equivalentLabels(curve: LearningCurve, n: number, reference: LearningCurve): Estimate {
  const m = reference.replicates.length
  const samples = curve.replicates
    .slice(0, m)
    .map((r, i) => labelsFor(reference.replicates[i], powerLawAt(r, n)))
  return estimate(labelsFor(reference.fit, powerLawAt(curve.fit, n)), samples)
}
