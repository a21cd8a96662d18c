import { chooseLabelledImages } from '../data/labelledSet'
import type { RunConfig } from '../methods/catalogueEntry'
import type { Project } from '../store/project'
import { getRun } from '../store/runs'
import { executeRun } from './executeRun'
import type { BackendReport } from './workerProtocol'
import { nextToLabel, type NextStrategy } from './nextToLabel'
import { predictEverywhere } from './predictEverywhere'
import { createRetrainRun } from './retrainRun'

/**
 * One round of the labelling loop as a simulation (the images already carry masks, the oracle): the run
 * ranks the held-back training images by a strategy, the top k join the labelled set, and the run's
 * configuration is trained again on it, in this process. The benchmark (bench/activeLearning.ts) and the
 * loop's test compare strategies this way, with the same seeds.
 */
export interface RoundResult {
  /** The images the strategy picked, in its order. */
  picked: number[]
  /** The labelled set the new run trained on. */
  labelled: number[]
  runId: number
  metrics: Record<string, number>
}

export async function activeLearningRound(
  project: Project,
  opts: {
    runId: number
    strategy: NextStrategy
    k: number
    /** Labelled now. */
    labelled: number[]
    /** Held back: the candidates. */
    pool: number[]
    /** Random order's seed. */
    seed: number
    backend: BackendReport
    signal?: AbortSignal
  },
): Promise<RoundResult> {
  const { runId, strategy } = opts
  const task = (getRun(project, runId).config as RunConfig).task
  if (strategy !== 'random')
    await predictEverywhere(project, {
      runId,
      images: opts.pool,
      strategies: [strategy],
      signal: opts.signal,
    })
  const ranking = nextToLabel(project, { runId, strategy, count: opts.k, seed: opts.seed, pool: opts.pool })
  if (ranking.unscored.length && ranking.ranked.length < opts.k)
    throw new Error(`${ranking.unscored.length} candidates were not scored by run ${runId}`)
  const picked = ranking.ranked.map((r) => r.imageId)
  const labelled = [...opts.labelled, ...picked]
  chooseLabelledImages(project, task, labelled)
  const next = createRetrainRun(project, runId, `${opts.backend.name} (${opts.backend.device})`, 'active')
  const metrics = await executeRun(project.dir, next, {
    post: () => {},
    signal: opts.signal ?? new AbortController().signal,
    backend: opts.backend,
  })
  return { picked, labelled, runId: next, metrics }
}
