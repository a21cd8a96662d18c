import { largestMaskValue, listMaskClasses } from '../store/maskClasses'
import type { Project } from '../store/project'
import { ImportError } from './importError'
import type { ImportPlan } from './importPlan'

/**
 * How this import's mask values become the project's: the plan's mask classes are matched by name to the
 * project's (a new name becomes the next value), so `lesion` is the same pixel value in every import.
 */
export interface MaskClassMapping {
  /** Names of the plan's values 1, 2, …; its masks may hold 0..names.length. */
  names: string[]
  /** The mask classes to add, in value order from `firstNewValue`. */
  added: string[]
  firstNewValue: number
  /** Plan value → project value; null when they are the same. */
  remap: Uint8Array | null
}

export function maskClassMapping(project: Project, plan: ImportPlan): MaskClassMapping {
  const existing = listMaskClasses(project)
  const names = plan.maskClasses ?? (existing.length > 0 ? existing.map((m) => m.name) : ['foreground'])
  const hasMasks = plan.items.some((i) => i.maskFile)
  const firstNewValue = largestMaskValue(project) + 1
  const value = new Map(existing.map((m) => [m.name, m.value]))
  const added = hasMasks ? names.filter((n) => !value.has(n)) : []
  added.forEach((n, i) => value.set(n, firstNewValue + i))
  if (firstNewValue - 1 + added.length > 255)
    throw new ImportError([{ file: 'mask classes', problem: 'a project holds at most 255 mask classes' }])
  const remap = new Uint8Array(256)
  names.forEach((n, i) => (remap[i + 1] = value.get(n) ?? 0))
  const identity = names.every((n, i) => value.get(n) === i + 1)
  return { names, added, firstNewValue, remap: identity ? null : remap }
}
