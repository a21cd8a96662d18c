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
}

/** Reads a folder in one of the known layouts into a plan, without touching the project. */
export function scanDataset(source: DatasetSource): ImportPlan {
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
