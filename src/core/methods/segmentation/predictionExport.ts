import fs from 'node:fs'
import path from 'node:path'
import { maskFileName } from '../../export/annotationExport'
import { listImages } from '../../store/images'
import type { Project } from '../../store/project'
import { decodeMaskPng, encodeMaskPng } from '../../data/maskRaster'
import { runPredictions } from '../../store/predictions'

/**
 * A run's predicted masks as PNG files, one per image, named like the annotation export's masks so the
 * two folders line up: class indices, or 0/255 for viewing and for tools that expect binary masks.
 */
export async function exportRunPredictions(
  project: Project,
  runId: number,
  folder: string,
  values: 'index' | 'binary' = 'index',
): Promise<number> {
  const rows = runPredictions(project, runId)
  if (rows.length === 0) throw new Error(`Run ${runId} has no stored predictions`)
  const names = new Map(listImages(project).map((i) => [i.id, i.name]))
  fs.mkdirSync(folder, { recursive: true })
  for (const { imageId, blob } of rows) {
    const png = project.blobs.get(blob)
    const file = path.join(folder, maskFileName(names.get(imageId) ?? `image-${imageId}`))
    if (values === 'index') {
      fs.writeFileSync(file, png)
      continue
    }
    const mask = await decodeMaskPng(png, `Prediction of image ${imageId}`)
    fs.writeFileSync(file, await encodeMaskPng({ ...mask, data: mask.data.map((v) => (v > 0 ? 255 : 0)) }))
  }
  return rows.length
}
