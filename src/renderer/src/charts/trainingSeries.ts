import type { TermKind } from '../../../shared/trainingTerms'
import type { LineSeries } from './LineChart'
import { seriesColour } from './seriesColours'

/** One training term's curve, named for people, with what it is (shared/trainingTerms.ts). */
export interface TermCurve {
  label: string
  kind: TermKind
  points: { x: number; y: number }[]
}

/**
 * How a run's curves are drawn, live (the job card) and stored (the run page) alike: the losses on one chart
 * with the learning rate dashed on its own axis; the other schedules (cross teaching's λ, DINO's teacher
 * temperature and momentum) on a chart of their own, the second on its right axis (a momentum near 1 beside
 * a temperature near 0.04); the scores on a third.
 */
export function trainingSeries(
  curves: TermCurve[],
  lr: { x: number; y: number }[],
): { losses: LineSeries[]; schedules: LineSeries[]; scores: LineSeries[] } {
  const of = (kind: TermKind) => curves.filter((c) => c.kind === kind)
  const losses: LineSeries[] = of('loss').map((c, i) => ({
    name: c.label,
    colour: seriesColour(i),
    points: c.points,
  }))
  if (lr.length) losses.push({ name: 'learning rate', colour: '#6b6b6b', points: lr, axis: 'right' })
  const schedules: LineSeries[] = of('schedule').map((c, i) => ({
    name: c.label,
    colour: seriesColour(i),
    points: c.points,
    ...(i === 1 ? { axis: 'right' as const } : {}),
  }))
  const scores: LineSeries[] = of('score').map((c, i) => ({
    name: c.label,
    colour: seriesColour(i + 3),
    points: c.points,
  }))
  return { losses, schedules, scores }
}
