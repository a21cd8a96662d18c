import type { Project } from '../store/project'
import type { Method, Preset, TrainResult } from './method'

/** What a stored run's config holds (written by startTraining, read by the worker). */
export interface RunConfig {
  task: 'segmentation' | 'classification'
  method: string
  preset: Preset
  /** As requested: 0–1, 'user' or 'active' (the set itself is labelFractionId). */
  labelFraction: number | 'user' | 'active'
  seed: number
  overrides: Record<string, number | string | boolean>
  splitId: number
  labelFractionId: number | null
}

/** A method plus how to feed it from a project, and what to keep after training (e.g. predictions). */
export interface RegisteredMethod {
  method: Method<unknown>
  loadData(project: Project, config: RunConfig): Promise<unknown>
  disposeData?(data: unknown): void
  afterTraining?(
    project: Project,
    runId: number,
    config: RunConfig,
    data: unknown,
    result: TrainResult,
  ): Promise<void>
}

const registry = new Map<string, RegisteredMethod>()

export function registerMethod(task: RunConfig['task'], name: string, entry: RegisteredMethod): void {
  registry.set(`${task}/${name}`, entry)
}

export function findMethod(task: string, name: string): RegisteredMethod {
  const entry = registry.get(`${task}/${name}`)
  if (!entry) {
    const known = [...registry.keys()].join(', ') || 'none'
    throw new Error(`No training method "${name}" for ${task} (available: ${known})`)
  }
  return entry
}
