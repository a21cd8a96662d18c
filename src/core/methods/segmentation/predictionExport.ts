import fs from 'node:fs'
import path from 'node:path'
import { maskFileName } from '../../export/annotationExport'
import { addMaskAnnotations, cocoMasks } from '../../export/cocoMaskAnnotations'
import { listImages } from '../../store/images'
import { listMaskClasses } from '../../store/maskClasses'
import type { Project } from '../../store/project'
import { decodeMaskPng, encodeMaskPng } from '../../data/maskRaster'
import { runPredictions } from '../../store/predictions'

/** The COCO file beside a run's exported predictions. */
export const PREDICTIONS_COCO_FILE = 'predictions.coco.json'

/** Whole-slide predictions are stored as a JSON manifest of tile PNGs (data/tiledMask.ts), not one PNG. */
const isTiledManifest = (bytes: Buffer) => bytes[0] === 0x7b

/**
 * A run's predicted masks as PNG files, one per image, named like the annotation export's masks so the
 * two folders line up: class values (the project's mask classes), or 0/255 for viewing and for tools that
 * expect binary masks (only when the project has one mask class). Beside them, the predictions as COCO with
 * the project's mask classes as categories, as the annotation export writes them. Whole-slide predictions
 * (stored tiled, over 100 M pixels) are not written as one PNG; they are counted apart.
 */
export async function exportRunPredictions(
  project: Project,
  runId: number,
  folder: string,
  values: 'index' | 'binary' = 'index',
): Promise<{ written: number; wholeSlides: number }> {
  const rows = runPredictions(project, runId)
  if (rows.length === 0) throw new Error(`Run ${runId} has no stored predictions`)
  const maskClasses = listMaskClasses(project)
  if (values === 'binary' && maskClasses.length > 1)
    throw new Error(
      `This project has ${maskClasses.length} mask classes: export its predictions with class values, not 0/255`,
    )
  const images = new Map(listImages(project).map((i) => [i.id, i]))
  const coco = cocoMasks(`S4MI Studio predictions of run ${runId}`, maskClasses)
  fs.mkdirSync(folder, { recursive: true })
  let wholeSlides = 0
  for (const { imageId, blob } of rows) {
    const image = images.get(imageId)
    const stored = project.blobs.get(blob)
    const file = path.join(folder, maskFileName(image?.name ?? `image-${imageId}`))
    if (image)
      coco.images.push({ id: imageId, file_name: image.name, width: image.width, height: image.height })
    if (isTiledManifest(stored)) {
      wholeSlides++
      continue
    }
    const mask = await decodeMaskPng(stored, `Prediction of image ${imageId}`)
    addMaskAnnotations(coco, imageId, mask)
    fs.writeFileSync(
      file,
      values === 'index'
        ? stored
        : await encodeMaskPng({ ...mask, data: mask.data.map((v) => (v > 0 ? 255 : 0)) }),
    )
  }
  fs.writeFileSync(path.join(folder, PREDICTIONS_COCO_FILE), JSON.stringify(coco))
  return { written: rows.length - wholeSlides, wholeSlides }
}
