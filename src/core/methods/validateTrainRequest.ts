import type { LabelSource } from '../../shared/types'
import type { RunLabelledSetRequest } from '../data/labelledSet'
import { findEntry, findMethod } from './catalogue'
import type { CatalogueEntry, Task } from './catalogueEntry'
import { runHyper, type Hyper, type Preset } from './method'

/** What every door (train.start, the CLI, a series) asks to train. */
export interface TrainRequest {
  task: Task
  method: string
  /** 0–1 (0 for unsupervised methods), 'user' for exactly what was labelled, 'active' for the chosen set. */
  labelFraction: RunLabelledSetRequest
  /** Hand-made masks only (default) or reviewed predictions too; 'active' uses the set's own. */
  labelSource?: LabelSource
  seeds: number
  preset: Preset
  overrides: Record<string, number | string | boolean>
}

export const MAX_SEEDS = 100

/**
 * Checks a training request against the method catalogue before any run is created: the method exists
 * for the task and is built, the label fraction fits it (none for an unsupervised method, some for the
 * others), seeds and preset are valid, and every override names one of the method's hyperparameters with
 * the right type. Returns the request normalised (an unsupervised method's default 'active' becomes 0)
 * and the hyperparameters the first run will use. Every message names the field.
 */
export function validateTrainRequest(req: TrainRequest): {
  request: TrainRequest
  entry: CatalogueEntry
  hyper: Hyper
} {
  const entry = findEntry(req.task, req.method)
  const runner = findMethod(req.task, req.method)
  let labelFraction = req.labelFraction
  if (typeof labelFraction === 'number' && !(labelFraction >= 0 && labelFraction <= 1)) {
    throw new Error(`labelFraction is a share from 0 to 1 (0.3 for 30 %), got ${labelFraction}`)
  }
  if (!entry.usesLabels) {
    if (labelFraction === 'active') labelFraction = 0
    if (labelFraction !== 0) {
      throw new Error(`${entry.name} is unsupervised: its label fraction is 0, got ${String(labelFraction)}`)
    }
  } else if (labelFraction === 0) {
    throw new Error(
      `${entry.name} needs labels: choose a label fraction above 0 (0 is for unsupervised methods)`,
    )
  }
  if (!Number.isInteger(req.seeds) || req.seeds < 1 || req.seeds > MAX_SEEDS) {
    throw new Error(`seeds must be a whole number from 1 to ${MAX_SEEDS}, got ${req.seeds}`)
  }
  if (req.labelSource !== undefined && req.labelSource !== 'hand' && req.labelSource !== 'reviewed') {
    throw new Error(`labelSource must be 'hand' or 'reviewed', got '${String(req.labelSource)}'`)
  }
  if (req.preset !== 'quick' && req.preset !== 'paper') {
    throw new Error(`preset must be 'quick' or 'paper', got '${String(req.preset)}'`)
  }
  const hyper = runHyper(runner.method, req.preset, req.overrides)
  return { request: { ...req, labelFraction }, entry, hyper }
}
