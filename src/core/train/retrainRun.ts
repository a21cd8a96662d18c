import type { RunLabelledSetRequest } from '../data/labelledSet'
import type { RunConfig } from '../methods/catalogueEntry'
import { validateTrainRequest } from '../methods/validateTrainRequest'
import { linkExperimentRuns, runExperimentIds } from '../store/experiments'
import type { Project } from '../store/project'
import { getRun } from '../store/runs'
import { createSeedRun } from './trainingJobs'

/**
 * Retraining, the labelling loop's last step: a new run with a run's configuration (method, preset,
 * hyperparameters, seed) on the labels as they are now — by default exactly what is labelled ('user'), so
 * the images reviewed since count — linked to the same experiments, where the results show each round's gain.
 */
export function createRetrainRun(
  project: Project,
  runId: number,
  backend: string | null,
  labelled: RunLabelledSetRequest = 'user',
): number {
  const run = getRun(project, runId)
  const config = run.config as RunConfig
  if (!config?.method) throw new Error(`Run ${runId} has no stored configuration to repeat`)
  const { request } = validateTrainRequest({
    task: config.task,
    method: config.method,
    labelFraction: labelled,
    seeds: 1,
    preset: config.preset,
    overrides: config.overrides ?? {},
  })
  const id = createSeedRun(project, request, config.seed, backend)
  for (const experimentId of runExperimentIds(project, runId)) linkExperimentRuns(project, experimentId, [id])
  return id
}
