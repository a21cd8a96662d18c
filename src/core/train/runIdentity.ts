import { createHash } from 'node:crypto'
import type { Hyper, Preset } from '../methods/method'

/** Everything that decides a run's metrics. Two runs that agree on all of it must score the same. */
export interface RunIdentityParts {
  task: string
  method: string
  preset: Preset
  /** The hyperparameters the run uses: the preset's defaults merged with its overrides. */
  hyper: Hyper
  /** The fraction its labelled set was drawn at (0–1), null for exactly what was labelled. */
  labelFraction: number | null
  seed: number
  /** The backend it was planned on ("wasm (cpu)"); null when none was probed. */
  backend: string | null
  /** The labelled set's dataset version (split, labelled ids and their labels). */
  datasetVersion: string
}

/**
 * A run's identity: a hash of its parts with the hyperparameters in a fixed order. An experiment skips a
 * planned run whose identity already succeeded, and the statistics count a second run with the same
 * identity as a repeat of the first, never as another seed.
 */
export function runIdentity(parts: RunIdentityParts): string {
  const hyper = Object.fromEntries(Object.entries(parts.hyper).sort(([a], [b]) => a.localeCompare(b)))
  const canonical = JSON.stringify([
    parts.task,
    parts.method,
    parts.preset,
    hyper,
    parts.labelFraction,
    parts.seed,
    parts.backend,
    parts.datasetVersion,
  ])
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24)
}
