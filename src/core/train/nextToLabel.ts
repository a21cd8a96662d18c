import type { ImageSummary } from '../../shared/types'
import { createSeededRandom } from '../engine/seededRandom'
import { listImages } from '../store/images'
import { runUncertainty, type UncertaintyStrategy } from '../store/predictionUncertainty'
import type { Project } from '../store/project'
import type { Task } from '../methods/catalogueEntry'
import { predictableRun, unlabelledFor } from './predictEverywhere'

/**
 * What to label next: the labelling pool's unlabelled images (no mask, or no labels, yet; not in the validation or test set,
 * whose masks are evaluation data) ranked by how unsure a run is about them, most uncertain first; or, as the
 * control every active-learning comparison needs, in a random order drawn from a seed.
 */

export type NextStrategy = UncertaintyStrategy | 'random'

export const NEXT_STRATEGIES: readonly NextStrategy[] = ['entropy', 'disagreement', 'mc-dropout', 'random']

export interface RankedImage {
  imageId: number
  name: string
  /** The run's score under the strategy; null for random. */
  score: number | null
}

export interface NextRanking {
  runId: number
  strategy: NextStrategy
  ranked: RankedImage[]
  /** Pool images the run has not scored with the strategy yet (predict them first). */
  unscored: number[]
}

/**
 * The images a labeller may add to the training set: not annotated yet for the run's task (no mask; for a
 * classifier, no image labels), and not validation or test data.
 */
export function labellingPool(project: Project, task: Task = 'segmentation'): ImageSummary[] {
  const unlabelled = unlabelledFor(task)
  return listImages(project).filter((i) => unlabelled(i) && i.subset !== 'val' && i.subset !== 'test')
}

export function nextToLabel(
  project: Project,
  opts: {
    runId: number
    strategy: NextStrategy
    count?: number
    seed?: number
    /** The candidates (default: the labelling pool); a simulation ranks training images it holds back. */
    pool?: number[]
  },
): NextRanking {
  const { run } = predictableRun(project, opts.runId)
  const pool = opts.pool ? listImages(project, opts.pool) : labellingPool(project, run.task as Task)
  const count = opts.count ?? pool.length
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a whole number ≥ 0, got ${count}`)
  if (opts.strategy === 'random') {
    const ranked = createSeededRandom(opts.seed ?? 0)
      .shuffle(pool)
      .map((i) => ({ imageId: i.id, name: i.name, score: null }))
    return { runId: opts.runId, strategy: 'random', ranked: ranked.slice(0, count), unscored: [] }
  }
  const byId = new Map(pool.map((i) => [i.id, i]))
  const scores = runUncertainty(project, opts.runId, opts.strategy).filter((s) => byId.has(s.imageId))
  const scored = new Set(scores.map((s) => s.imageId))
  return {
    runId: opts.runId,
    strategy: opts.strategy,
    ranked: scores
      .slice(0, count)
      .map((s) => ({ imageId: s.imageId, name: byId.get(s.imageId)!.name, score: s.score })),
    unscored: pool.filter((i) => !scored.has(i.id)).map((i) => i.id),
  }
}
