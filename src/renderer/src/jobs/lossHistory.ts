import type { JobProgress } from '../../../shared/events'

/** One sample of a training job's loss terms, for the live curves. */
export interface LossPoint {
  /** Fractional epoch when the job reports epochs, else the sample's index. */
  x: number
  axis: 'epoch' | 'sample'
  losses: Record<string, number>
  lr: number | null
}

/** Samples kept per job; older ones are thinned so a long run does not grow without bound. */
export const MAX_LOSS_POINTS = 2000

function positionOf(p: JobProgress, index: number): Pick<LossPoint, 'x' | 'axis'> {
  // A later stage's epochs follow the earlier stages' (DINO's fine-tuning after its pretraining), as stored.
  const before = p.phase?.epochsBefore ?? 0
  if (p.epoch !== undefined && p.step !== undefined && p.steps)
    return { x: before + p.epoch - 1 + p.step / p.steps, axis: 'epoch' }
  if (p.epoch !== undefined) return { x: before + p.epoch, axis: 'epoch' }
  return { x: index, axis: 'sample' }
}

/**
 * Adds a progress event's losses to a job's history. Events without losses, and repeats of the last
 * sample (the queue re-sends state on status changes), add nothing. Returns the same array when unchanged.
 */
export function appendLossPoint(history: LossPoint[], progress: JobProgress): LossPoint[] {
  const losses = progress.losses
  if (!losses || Object.keys(losses).length === 0) return history
  const finite = Object.fromEntries(Object.entries(losses).filter(([, v]) => Number.isFinite(v)))
  const point: LossPoint = {
    ...positionOf(progress, history.length),
    losses: finite,
    lr: progress.lr !== undefined && Number.isFinite(progress.lr) ? progress.lr : null,
  }
  const last = history[history.length - 1]
  if (last && last.x === point.x && JSON.stringify(last.losses) === JSON.stringify(point.losses))
    return history
  const next = [...history, point]
  // Keep every other old sample once full: the curve's shape survives, memory stays flat.
  return next.length > MAX_LOSS_POINTS ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1) : next
}

/** Names of the loss terms seen anywhere in a history, in first-seen order. */
export function lossTerms(history: LossPoint[]): string[] {
  const seen = new Set<string>()
  for (const p of history) for (const k of Object.keys(p.losses)) seen.add(k)
  return [...seen]
}

/**
 * A history rebuilt from a run's stored training metrics (one row per epoch and term, `lr` among them), so a
 * window opened mid-run shows the curve so far. Points stay in epoch order; `later` (live samples) wins
 * from its first epoch on.
 */
export function lossHistoryFromMetrics(
  rows: { epoch: number | null; subset: string | null; name: string; value: number }[],
  later: LossPoint[] = [],
): LossPoint[] {
  const byEpoch = new Map<number, LossPoint>()
  for (const r of rows) {
    if (r.subset !== 'train' || r.epoch === null || !Number.isFinite(r.value)) continue
    const p = byEpoch.get(r.epoch) ?? { x: r.epoch, axis: 'epoch' as const, losses: {}, lr: null }
    if (r.name === 'lr') p.lr = r.value
    else p.losses[r.name] = r.value
    byEpoch.set(r.epoch, p)
  }
  const start = later.length ? later[0].x : Infinity
  const stored = [...byEpoch.values()].filter((p) => p.x < start).sort((a, b) => a.x - b.x)
  return [...stored, ...later]
}
