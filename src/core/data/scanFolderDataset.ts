import fs from 'node:fs'
import path from 'node:path'
import type { ImportProblem } from './importError'
import { IMAGE_EXTENSIONS, type ImportPlan, type PlannedImage, type Preprocess } from './importPlan'
import { listFolder, NOT_UTF8_NAME } from '../store/folderEntries'
import { insideFolder } from './insideFolder'
import { readCsvFile } from './readCsv'

const LABELS_FILE = 'labels.csv'
/** Names the masks' pixel values: `value,name[,labels]`, values 1, 2, … in order; labels joined by `;`. */
export const MASK_CLASSES_FILE = 'mask_classes.csv'

/** Reads mask_classes.csv into the plan (mask class names in value order, and which labels show which). */
function readMaskClasses(root: string, plan: ImportPlan, problems: ImportProblem[]): void {
  const file = insideFolder(root, MASK_CLASSES_FILE)
  if ('problem' in file) {
    if (file.problem !== 'file not found') problems.push({ file: MASK_CLASSES_FILE, problem: file.problem })
    return
  }
  let rows: string[][]
  try {
    rows = readCsvFile(file.file).filter((r) => r.some((c) => c.trim()))
  } catch (e) {
    problems.push({ file: MASK_CLASSES_FILE, problem: `cannot be read: ${(e as Error).message}` })
    return
  }
  const [header, ...body] = rows
  if (!header || header[0]?.trim() !== 'value' || header[1]?.trim() !== 'name') {
    problems.push({
      file: MASK_CLASSES_FILE,
      problem: 'needs a header row: value,name (and optionally labels)',
    })
    return
  }
  const names: string[] = []
  const shownBy: Record<string, string> = {}
  body.forEach((row, r) => {
    const where = `${MASK_CLASSES_FILE} row ${r + 2}`
    const value = Number(row[0]?.trim())
    const name = row[1]?.trim() ?? ''
    if (value !== names.length + 1)
      return problems.push({
        file: where,
        problem: `value must be ${names.length + 1} (values go 1, 2, … in order)`,
      })
    if (!name || names.includes(name))
      return problems.push({
        file: where,
        problem: `mask class name ${JSON.stringify(name)} is empty or repeated`,
      })
    names.push(name)
    for (const label of (row[2] ?? '')
      .split(';')
      .map((l) => l.trim())
      .filter(Boolean))
      shownBy[label] = name
  })
  if (names.length === 0) problems.push({ file: MASK_CLASSES_FILE, problem: 'names no mask classes' })
  plan.maskClasses = names
  plan.labelMaskClasses = shownBy
}

function stemOf(name: string): string {
  return name.slice(0, name.length - path.extname(name).length)
}

/** Image files of one folder by stem; symlinks, subfolders and other files become problems. */
export function scanImageFolder(dir: string, rel: string, problems: ImportProblem[]): Map<string, string> {
  const byStem = new Map<string, string>()
  for (const e of listFolder(dir)) {
    const relName = `${rel}/${e.name}`
    if (e.name.startsWith('.')) continue
    if (e.badName) {
      problems.push({ file: relName, problem: NOT_UTF8_NAME })
    } else if (e.kind === 'symlink') {
      problems.push({
        file: relName,
        problem: 'is a symbolic link (refused: it may lead outside the import folder)',
      })
    } else if (e.kind !== 'file') {
      problems.push({ file: relName, problem: 'is not a regular file (subfolders are not read here)' })
    } else if (!IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
      problems.push({ file: relName, problem: 'is not a PNG, JPEG or TIFF file' })
    } else {
      const stem = stemOf(e.name)
      const twin = byStem.get(stem)
      if (twin) problems.push({ file: relName, problem: `has the same stem as ${rel}/${twin}` })
      else byStem.set(stem, e.name)
    }
  }
  return byStem
}

/**
 * The generic layout, how private data (e.g. the Dermatomyositis set) comes in:
 * `images/`, optional `masks/` (same file stems), optional `labels.csv` whose first column names the image
 * (file name or stem) and whose other columns are classes holding 0 or 1 (several 1s = multi-label), and
 * optional `mask_classes.csv` naming what the masks' values mean (without it: the project's mask classes).
 */
export function scanFolderDataset(root: string, preprocess: Preprocess = 'tile'): ImportPlan {
  const problems: ImportProblem[] = []
  const plan: ImportPlan = {
    classes: [],
    maskClasses: null,
    labelMode: 'multi-class',
    preprocess,
    items: [],
    problems,
  }
  const imagesDir = insideFolder(root, 'images')
  if ('problem' in imagesDir && imagesDir.problem !== 'file not found') {
    problems.push({ file: 'images/', problem: imagesDir.problem })
    return plan
  }
  if ('problem' in imagesDir || !fs.statSync(imagesDir.file).isDirectory()) {
    problems.push({ file: 'images/', problem: 'missing: a folder import needs an images/ folder' })
    return plan
  }
  const images = scanImageFolder(imagesDir.file, 'images', problems)
  if (images.size === 0) problems.push({ file: 'images/', problem: 'holds no PNG, JPEG or TIFF images' })

  const masks = new Map<string, string>()
  const masksDir = insideFolder(root, 'masks')
  if (!('problem' in masksDir) && fs.statSync(masksDir.file).isDirectory()) {
    for (const [stem, name] of scanImageFolder(masksDir.file, 'masks', problems)) {
      if (!images.has(stem))
        problems.push({ file: `masks/${name}`, problem: 'mask has no image with the same stem in images/' })
      else masks.set(stem, name)
    }
  } else if ('problem' in masksDir && masksDir.problem !== 'file not found') {
    problems.push({ file: 'masks/', problem: masksDir.problem })
  }

  readMaskClasses(root, plan, problems)

  const labels = new Map<string, string[]>()
  const labelsFile = insideFolder(root, LABELS_FILE)
  if (!('problem' in labelsFile)) {
    let rows: string[][] = []
    try {
      rows = readCsvFile(labelsFile.file)
    } catch (e) {
      problems.push({
        file: LABELS_FILE,
        problem: `cannot be read: ${e instanceof Error ? e.message : String(e)}`,
      })
    }
    const [header, ...body] = rows
    if (!header || header.length < 2) {
      problems.push({ file: LABELS_FILE, problem: 'needs a header row: image, then one column per class' })
    } else {
      plan.classes = header.slice(1).map((c) => c.trim())
      const dupClass = plan.classes.find((c, i) => !c || plan.classes.indexOf(c) !== i)
      if (dupClass !== undefined)
        problems.push({ file: LABELS_FILE, problem: `class column "${dupClass}" is empty or repeated` })
      body.forEach((row, r) => {
        const where = `${LABELS_FILE} row ${r + 2}`
        const key = (row[0] ?? '').trim()
        if (/[\\/]/.test(key) || key.startsWith('..')) {
          problems.push({
            file: where,
            problem: `names ${JSON.stringify(key)}: a path leading outside images/ is refused`,
          })
          return
        }
        const stem = images.has(key) ? key : stemOf(key)
        if (!images.has(stem) || (key !== stem && images.get(stem) !== key)) {
          problems.push({ file: where, problem: `names ${JSON.stringify(key)}, which is not in images/` })
          return
        }
        if (labels.has(stem)) {
          problems.push({ file: where, problem: `labels ${JSON.stringify(key)} a second time` })
          return
        }
        if (row.length !== header.length) {
          problems.push({
            file: where,
            problem: `has ${row.length} columns, the header has ${header.length}`,
          })
          return
        }
        const names: string[] = []
        for (let c = 1; c < row.length; c++) {
          const v = row[c].trim()
          // "1.0" / "0.0" as pandas writes them count too; anything else is refused.
          const n = v === '' ? NaN : Number(v)
          if (n !== 0 && n !== 1) {
            problems.push({
              file: where,
              problem: `column ${plan.classes[c - 1]} must be 0 or 1, got ${JSON.stringify(v)}`,
            })
            labels.set(stem, []) // reported once, not again as "missing from labels.csv"
            return
          }
          if (n === 1) names.push(plan.classes[c - 1])
        }
        if (names.length !== 1) plan.labelMode = 'multi-label'
        labels.set(stem, names)
      })
      for (const [stem, name] of images) {
        if (!labels.has(stem))
          problems.push({ file: `images/${name}`, problem: `is missing from ${LABELS_FILE}` })
      }
    }
  } else if (labelsFile.problem !== 'file not found') {
    problems.push({ file: LABELS_FILE, problem: labelsFile.problem })
  }

  for (const label of Object.keys(plan.labelMaskClasses ?? {}))
    if (!plan.classes.includes(label))
      problems.push({
        file: MASK_CLASSES_FILE,
        problem: `names label "${label}", which is not a column of ${LABELS_FILE}`,
      })

  for (const [stem, name] of images) {
    const item: PlannedImage = { file: path.join(imagesDir.file, name), name: `images/${name}` }
    const m = masks.get(stem)
    if (m) {
      item.maskFile = path.join(root, 'masks', m)
      item.maskName = `masks/${m}`
    }
    if (labels.has(stem)) item.labels = labels.get(stem)
    plan.items.push(item)
  }
  return plan
}
