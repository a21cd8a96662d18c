import path from 'node:path'
import { IMAGE_EXTENSIONS, lesionDatasetPlan, type ImportPlan, type Preprocess } from './importPlan'
import { listFolder, NOT_UTF8_NAME } from '../store/folderEntries'

/** Dermofit's ten class folders; the seborrhoeic keratosis folder is named SK or SEB depending on the copy. */
export const DERMOFIT_CLASSES = ['AK', 'BCC', 'DF', 'IEC', 'MEL', 'ML', 'PYO', 'SCC', 'SK', 'VASC']
const FOLDER_CLASS: Record<string, string> = Object.fromEntries([
  ...DERMOFIT_CLASSES.map((c) => [c, c]),
  ['SEB', 'SK'],
])

/**
 * Dermofit: one folder per class, one folder per lesion holding its image (e.g. `A34.png`) and its
 * mask (`A34mask.png`). There is no official split.
 */
export function scanDermofit(root: string, preprocess: Preprocess = 'resize'): ImportPlan {
  const plan = lesionDatasetPlan(DERMOFIT_CLASSES, preprocess)
  const { problems } = plan
  for (const c of listFolder(root)) {
    if (c.name.startsWith('.') || (c.kind === 'file' && /\.(txt|csv|md|pdf|xlsx?)$/i.test(c.name))) continue
    const cls = FOLDER_CLASS[c.name.toUpperCase()]
    if (c.badName) {
      problems.push({ file: c.name, problem: NOT_UTF8_NAME })
      continue
    }
    if (c.kind === 'symlink') {
      problems.push({ file: c.name, problem: 'is a symbolic link (refused)' })
      continue
    }
    if (c.kind !== 'dir' || !cls) {
      problems.push({
        file: c.name,
        problem: `is not a Dermofit class folder (${DERMOFIT_CLASSES.join(', ')}, or SEB)`,
      })
      continue
    }
    for (const lesion of listFolder(path.join(root, c.name))) {
      const rel = `${c.name}/${lesion.name}`
      if (lesion.name.startsWith('.')) continue
      if (lesion.badName) {
        problems.push({ file: rel, problem: NOT_UTF8_NAME })
        continue
      }
      if (lesion.kind !== 'dir') {
        problems.push({
          file: rel,
          problem: lesion.kind === 'symlink' ? 'is a symbolic link (refused)' : 'is not a lesion folder',
        })
        continue
      }
      const images: string[] = []
      const masks: string[] = []
      for (const f of listFolder(path.join(root, rel))) {
        if (f.name.startsWith('.')) continue
        if (f.badName) problems.push({ file: `${rel}/${f.name}`, problem: NOT_UTF8_NAME })
        else if (f.kind === 'symlink')
          problems.push({ file: `${rel}/${f.name}`, problem: 'is a symbolic link (refused)' })
        else if (f.kind !== 'file' || !IMAGE_EXTENSIONS.includes(path.extname(f.name).toLowerCase())) {
          problems.push({ file: `${rel}/${f.name}`, problem: 'is not a PNG, JPEG or TIFF file' })
        } else if (/mask\.png$/i.test(f.name)) masks.push(f.name)
        else images.push(f.name)
      }
      if (images.length !== 1 || masks.length !== 1) {
        problems.push({
          file: `${rel}/`,
          problem: `a lesion folder holds one image and one …mask.png; found ${images.length} image(s), ${masks.length} mask(s)`,
        })
        continue
      }
      plan.items.push({
        file: path.join(root, rel, images[0]),
        name: `${rel}/${images[0]}`,
        maskFile: path.join(root, rel, masks[0]),
        maskName: `${rel}/${masks[0]}`,
        labels: [cls],
      })
    }
  }
  if (plan.items.length === 0 && problems.length === 0) {
    problems.push({ file: root, problem: 'holds no Dermofit class folders with lesions' })
  }
  return plan
}
