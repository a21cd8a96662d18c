import fs from 'node:fs'
import path from 'node:path'
import type { Project } from '../store/project'
import type { ImportProblem } from './importError'
import { IMAGE_EXTENSIONS, type ImportPlan } from './importPlan'
import { listFolder, NOT_UTF8_NAME } from '../store/folderEntries'
import { runImport, type ImportOptions, type ImportSummary } from './runImport'

/**
 * The PNG, JPEG and TIFF files directly in a folder, in name order. Symlinks and names that are not
 * valid UTF-8 are not followed or guessed at: they come back as problems that refuse the import.
 */
export function imagesInFolder(dir: string): { files: string[]; problems: ImportProblem[] } {
  const files: string[] = []
  const problems: ImportProblem[] = []
  for (const e of listFolder(dir)) {
    if (!IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase()) && !e.badName) continue
    if (e.badName) problems.push({ file: e.name, problem: NOT_UTF8_NAME })
    else if (e.kind === 'symlink')
      problems.push({ file: e.name, problem: 'is a symbolic link (refused: it may lead outside the folder)' })
    else if (e.kind === 'file') files.push(path.join(dir, e.name))
  }
  return { files, problems }
}

/**
 * Adds single images picked in the app (PNG, JPEG, TIFF, including tiled/pyramidal TIFF slides of
 * 20,000 × 20,000 px and more) as unlabelled images, tiled to 480 × 480. Big slides are read region by
 * region by libvips and streamed into the blob store; they are never decoded whole into JS memory.
 */
export async function importImages(
  project: Project,
  files: string[],
  options: ImportOptions = {},
  /** Problems already found while listing the files (see imagesInFolder). */
  listingProblems: ImportProblem[] = [],
): Promise<ImportSummary> {
  const problems: ImportProblem[] = [...listingProblems]
  const plan: ImportPlan = {
    classes: [],
    maskClasses: null,
    labelMode: 'multi-class',
    preprocess: 'tile',
    items: [],
    problems,
  }
  for (const f of files) {
    const file = path.resolve(f)
    let st: fs.Stats
    try {
      st = fs.lstatSync(file)
    } catch {
      problems.push({ file: f, problem: 'file not found' })
      continue
    }
    if (st.isSymbolicLink())
      problems.push({
        file: f,
        problem: 'is a symbolic link (refused: it may lead to files you did not pick)',
      })
    else if (!st.isFile()) problems.push({ file: f, problem: 'is not a file' })
    else if (!IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
      problems.push({ file: f, problem: 'is not a PNG, JPEG or TIFF file' })
    } else plan.items.push({ file, name: path.basename(file) })
  }
  if (files.length === 0 && listingProblems.length === 0)
    problems.push({ file: '(none)', problem: 'no files were given' })
  return runImport(project, plan, options)
}
