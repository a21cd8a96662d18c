import type { MethodInfo, RunSetting } from '../../shared/contract/methods'
import { describeEntry, type CatalogueEntry, type MethodRunner, type Task } from './catalogueEntry'
import { runHyper, type Hyper, type Preset } from './method'
import { classificationMethods } from './classification/classificationCatalogue'
import { segmentationMethods } from './segmentation/segmentationCatalogue'

/**
 * Every training method, in the order the training panel lists them. One source: the panel and the CLI
 * read it through listMethods, validateTrainRequest checks requests against it, the runner trains from it.
 * How to add a method: see catalogueEntry.ts.
 */
const CATALOGUE: readonly CatalogueEntry[] = [...segmentationMethods, ...classificationMethods]

function checkUnique(entries: readonly CatalogueEntry[]): readonly CatalogueEntry[] {
  const seen = new Set<string>()
  for (const e of entries) {
    const key = `${e.task}/${e.id}`
    if (seen.has(key)) throw new Error(`The method catalogue lists ${key} twice`)
    seen.add(key)
  }
  return entries
}

let checked: readonly CatalogueEntry[] | null = null
function catalogue(): readonly CatalogueEntry[] {
  checked ??= checkUnique(CATALOGUE)
  return checked
}

export function catalogueEntries(task?: Task): CatalogueEntry[] {
  return catalogue().filter((e) => task === undefined || e.task === task)
}

/** The catalogue as methods.list sends it. */
export function listMethods(task?: Task): MethodInfo[] {
  return catalogueEntries(task).map(describeEntry)
}

/** Every hyperparameter a run of this method with these overrides would train with, described. */
export function runSettings(task: Task, id: string, preset: Preset, overrides: Partial<Hyper>): RunSetting[] {
  const entry = findEntry(task, id)
  if (!entry.runner) throw new Error(`${entry.name} is not in this version`)
  const hyper = runHyper(entry.runner.method, preset, overrides)
  return Object.entries(hyper).map(([name, value]) => ({
    name,
    value,
    about: entry.hyperDocs?.[name] ?? null,
  }))
}

/** A method's catalogue entry; an unknown one is an error listing what the task offers. */
export function findEntry(task: string, id: string): CatalogueEntry {
  const entry = catalogue().find((e) => e.task === task && e.id === id)
  if (!entry) {
    const known = catalogueEntries(task as Task)
      .map((e) => e.id)
      .join(', ')
    throw new Error(`No training method "${id}" for ${task} (available: ${known || 'none'})`)
  }
  return entry
}

/** How to train a method; refuses one that is listed but not built yet. */
export function findMethod(task: string, id: string): MethodRunner {
  const entry = findEntry(task, id)
  if (!entry.runner) throw new Error(`${entry.name} (${task}) is not available in this version yet`)
  return entry.runner
}
