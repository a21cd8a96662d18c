import fs from 'node:fs'
import path from 'node:path'
import type { Project } from '../store/project'
import type { ImportProblem } from './importError'
import { IMAGE_EXTENSIONS, type ImportPlan } from './importPlan'
import { runImport, type ImportOptions, type ImportSummary } from './runImport'

/**
 * Adds single images picked in the app (PNG, JPEG, TIFF, including tiled/pyramidal TIFF slides of
 * 20,000 × 20,000 px and more) as unlabelled images, tiled to 480 × 480. Big slides are read region by
 * region by libvips and streamed into the blob store; they are never decoded whole into JS memory.
 */
export async function importImages(
  project: Project,
  files: string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const problems: ImportProblem[] = []
  const plan: ImportPlan = { classes: [], labelMode: 'multi-class', preprocess: 'tile', items: [], problems }
  for (const f of files) {
    const file = path.resolve(f)
    let st: fs.Stats
    try {
      st = fs.statSync(file)
    } catch {
      problems.push({ file: f, problem: 'file not found' })
      continue
    }
    if (!st.isFile()) problems.push({ file: f, problem: 'is not a file' })
    else if (!IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
      problems.push({ file: f, problem: 'is not a PNG, JPEG or TIFF file' })
    } else plan.items.push({ file, name: path.basename(file) })
  }
  if (files.length === 0) problems.push({ file: '(none)', problem: 'no files were given' })
  return runImport(project, plan, options)
}
