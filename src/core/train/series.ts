import type { LabelSource } from '../../shared/types'
import type { JobProgress } from '../../shared/events'
import { meanConfidenceInterval, type MeanConfidenceInterval } from '../eval/meanConfidenceInterval'
import type { RunLabelledSetRequest } from '../data/labelledSet'
import type { Project } from '../store/project'
import { executeRun } from './executeRun'
import type { BackendReport } from './workerProtocol'
import type { WorkerLauncher } from './workerLauncher'
import { createSeedRun, runInWorker, seedsFor } from './trainingJobs'
import type { Task } from '../methods/catalogueEntry'
import type { Hyper, Preset } from '../methods/method'
import { validateTrainRequest } from '../methods/validateTrainRequest'

/**
 * A series: the same method and label fraction over several seeds, as the paper reports every number
 * (5 seeds, mean and 95 % CI). Each seed is a stored run with its own labelled selection, trained by the
 * job runner's executeRun — in a worker process when `launch` is given, as the CLI and the app do — so
 * the CLI and the app write the same rows.
 */

export interface SeriesOptions {
  /** Segmentation when not given. */
  task?: Task
  method: string
  /** 0–1 share of the training images whose masks are used (0 for PiCIE), 'user', or 'active'. */
  labelFraction: RunLabelledSetRequest
  /** Hand-made masks only (default) or reviewed predictions too; 'active' uses the set's own. */
  labelSource?: LabelSource
  seeds: number
  preset: Preset
  overrides?: Partial<Hyper>
  signal?: AbortSignal
  backend: BackendReport
  /** Train each run in its own worker process (the CLI does, like the app); without it, in this process. */
  launch?: WorkerLauncher
}

export type SeriesEvent =
  | { type: 'run-start'; seed: number; runId: number; index: number; total: number }
  | { type: 'progress'; seed: number; runId: number; progress: Partial<JobProgress> }
  | { type: 'run-done'; seed: number; runId: number; metrics: Record<string, number> }

export interface SeriesResult {
  runs: { seed: number; runId: number; metrics: Record<string, number> }[]
  /** Every final metric over the seeds: mean and Student-t 95 % interval. */
  summary: Record<string, MeanConfidenceInterval>
}

export async function runTrainingSeries(
  project: Project,
  opts: SeriesOptions,
  onEvent: (e: SeriesEvent) => void = () => {},
): Promise<SeriesResult> {
  // Fail before creating any run: unknown method, a fraction that does not fit it, a misspelt override.
  const { request } = validateTrainRequest({
    task: opts.task ?? 'segmentation',
    method: opts.method,
    labelFraction: opts.labelFraction,
    labelSource: opts.labelSource,
    seeds: opts.seeds,
    preset: opts.preset,
    overrides: (opts.overrides ?? {}) as Record<string, number | string | boolean>,
  })
  const runs: SeriesResult['runs'] = []
  const seeds = seedsFor(request.seeds)
  for (const [index, seed] of seeds.entries()) {
    opts.signal?.throwIfAborted()
    const runId = createSeedRun(project, request, seed, `${opts.backend.name} (${opts.backend.device})`)
    onEvent({ type: 'run-start', seed, runId, index, total: seeds.length })
    const signal = opts.signal ?? new AbortController().signal
    const metrics = opts.launch
      ? ((await runInWorker(project, runId, opts.launch, {
          signal,
          progress: (progress) => onEvent({ type: 'progress', seed, runId, progress }),
          addRun: () => {},
        })) as Record<string, number>)
      : await executeRun(project.dir, runId, {
          post: (m) => {
            if (m.type === 'progress') onEvent({ type: 'progress', seed, runId, progress: m.progress })
          },
          signal,
          backend: opts.backend,
        })
    runs.push({ seed, runId, metrics })
    onEvent({ type: 'run-done', seed, runId, metrics })
  }
  const summary: Record<string, MeanConfidenceInterval> = {}
  // Every metric any seed stored: a mask class missing from one seed's test split is still summarised.
  for (const name of new Set(runs.flatMap((r) => Object.keys(r.metrics)))) {
    const values = runs.map((r) => r.metrics[name]).filter(Number.isFinite)
    if (values.length) summary[name] = meanConfidenceInterval(values)
  }
  return { runs, summary }
}
