import fs from 'node:fs'
import type { Project } from '../store/project'
import { ImportError } from './importError'
import type { ImportPlan, Preprocess } from './importPlan'
import { runImport, type ImportOptions, type ImportSummary } from './runImport'
import { scanDermofit } from './scanDermofit'
import { scanFolderDataset } from './scanFolderDataset'
import { scanIsic2017 } from './scanIsic2017'

export type DatasetFormat = 'isic2017' | 'dermofit' | 'folder'
export const DATASET_FORMATS: readonly DatasetFormat[] = ['isic2017', 'dermofit', 'folder']

export interface DatasetSource {
  format: DatasetFormat
  path: string
  /** Overrides the format's preprocessing: tiles for slides (folder), a 480 resize for lesions (ISIC, Dermofit). */
  preprocess?: Preprocess
  /** The mask class binary masks stand for, instead of the format's (`lesion` for ISIC and Dermofit). */
  maskClass?: string
}

/** Names the one mask class of a binary dataset as asked; a dataset naming several keeps its own. */
function withMaskClass(plan: ImportPlan, name: string | undefined): ImportPlan {
  const wanted = name?.trim()
  if (!wanted) return plan
  if (plan.maskClasses && plan.maskClasses.length > 1) {
    plan.problems.push({
      file: 'mask classes',
      problem: `the dataset names ${plan.maskClasses.length} mask classes; "${wanted}" can only name a binary mask`,
    })
    return plan
  }
  const old = plan.maskClasses?.[0]
  const labelMaskClasses = Object.fromEntries(
    Object.entries(plan.labelMaskClasses ?? {}).map(([l, m]) => [l, m === old ? wanted : m]),
  )
  return { ...plan, maskClasses: [wanted], labelMaskClasses }
}

/** Reads a folder in one of the known layouts into a plan, without touching the project. */
export function scanDataset(source: DatasetSource): ImportPlan {
  return withMaskClass(scanFormat(source), source.maskClass)
}

function scanFormat(source: DatasetSource): ImportPlan {
  if (!fs.existsSync(source.path) || !fs.statSync(source.path).isDirectory()) {
    throw new ImportError([{ file: source.path, problem: 'is not a folder' }])
  }
  switch (source.format) {
    case 'folder':
      return scanFolderDataset(source.path, source.preprocess ?? 'tile')
    case 'isic2017':
      return scanIsic2017(source.path, source.preprocess ?? 'resize')
    case 'dermofit':
      return scanDermofit(source.path, source.preprocess ?? 'resize')
    default:
      throw new ImportError([
        { file: source.path, problem: `unknown format ${JSON.stringify(source.format)}` },
      ])
  }
}

/**
 * Imports a dataset folder into a project: all or nothing. Throws ImportError listing every problem
 * (per file), or ImportCancelled when `signal` fires; in both cases the project is unchanged.
 */
export async function importDataset(
  project: Project,
  source: DatasetSource,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return runImport(project, scanDataset(source), options)
}
