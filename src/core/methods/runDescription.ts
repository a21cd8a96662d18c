import { findEntry } from './catalogue'
import type { CatalogueEntry, RunConfig } from './catalogueEntry'
import { resolveHyper, type Hyper, type Preset } from './method'

export interface RunDescription {
  preset: Preset
  /** Every hyperparameter the run used: what it recorded when it finished, else its preset with its overrides. */
  hyper: Hyper
  /** The network it trains, in words ('ResNet-34 U-Net', 'ViT-B/16'). */
  backbone: string
}

function resolved(entry: CatalogueEntry | null, config: RunConfig, preset: Preset): Hyper {
  const overrides = { ...(config.overrides ?? {}) }
  if (!entry?.runner) return overrides
  const defaults = entry.runner.method.defaults(preset, overrides)
  try {
    return resolveHyper(defaults, overrides, config.method)
  } catch {
    // An override this version no longer knows: the defaults with what the run asked for.
    return { ...defaults, ...overrides }
  }
}

/** What a stored run trains, read from its recorded config through the method catalogue. */
export function describeRun(config: RunConfig, recordedHyper?: unknown): RunDescription {
  const preset: Preset = config.preset === 'paper' ? 'paper' : 'quick'
  let entry: CatalogueEntry | null = null
  try {
    entry = findEntry(config.task, config.method)
  } catch {
    // A method this version no longer offers: the run keeps what it recorded.
  }
  const hyper =
    recordedHyper && typeof recordedHyper === 'object'
      ? (recordedHyper as Hyper)
      : resolved(entry, config, preset)
  const backbone = entry?.backbone?.(preset, hyper) ?? entry?.name ?? config.method
  return { preset, hyper, backbone }
}
