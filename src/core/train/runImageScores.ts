import type { RunImageScore } from '../../shared/training'
import { openStoredMask } from '../data/tiledMask'
import { MASK_TILE } from '../data/tiledMask'
import {
  diceFromConfusion,
  foregroundConfusion,
  iouFromConfusion,
  type ForegroundConfusion,
} from '../eval/segmentationScores'
import { listImages } from '../store/images'
import { runPredictions } from '../store/predictions'
import type { Project } from '../store/project'
import { getRun } from '../store/runs'
import { loadSplit } from '../store/splits'

/**
 * A segmentation run's test images scored one by one, worst first: the run's stored prediction of each
 * image against its current mask, at the image's own pixels (a slide read tile by tile), so the list
 * points at the images to look at. Foreground is any class > 0, as the run's own scores.
 */
export async function runImageScores(project: Project, runId: number): Promise<RunImageScore[]> {
  const run = getRun(project, runId)
  if (run.task !== 'segmentation') return []
  const splitId = (run.config as { splitId?: number }).splitId
  if (splitId === undefined) return []
  const split = loadSplit(project, splitId)
  const predictions = new Map(runPredictions(project, runId).map((p) => [p.imageId, p.blob]))
  const out: RunImageScore[] = []
  for (const img of listImages(project)) {
    if (split.assignments.get(img.id) !== 'test' || !img.maskBlob) continue
    const blob = predictions.get(img.id)
    if (!blob) {
      out.push({ imageId: img.id, name: img.name, iou: null, dice: null, predicted: false })
      continue
    }
    const c = await maskConfusion(project, blob, img.maskBlob, img.width, img.height)
    out.push({
      imageId: img.id,
      name: img.name,
      iou: iouFromConfusion(c),
      dice: diceFromConfusion(c),
      predicted: true,
    })
  }
  // Worst first; images without a prediction last.
  return out.sort((a, b) => (a.iou ?? Infinity) - (b.iou ?? Infinity) || a.imageId - b.imageId)
}

async function maskConfusion(
  project: Project,
  predictionBlob: string,
  truthBlob: string,
  width: number,
  height: number,
): Promise<ForegroundConfusion> {
  const pred = await openStoredMask(project, predictionBlob)
  const truth = await openStoredMask(project, truthBlob)
  for (const m of [pred, truth])
    if (m.width !== width || m.height !== height)
      throw new Error(`A stored mask is ${m.width}×${m.height}, its image ${width}×${height}`)
  const total: ForegroundConfusion = { tp: 0, fp: 0, fn: 0, tn: 0 }
  for (let y = 0; y < height; y += MASK_TILE)
    for (let x = 0; x < width; x += MASK_TILE) {
      const w = Math.min(MASK_TILE, width - x)
      const h = Math.min(MASK_TILE, height - y)
      const blank = new Uint8Array(w * h)
      const c = foregroundConfusion(
        (await pred.region(x, y, w, h)) ?? blank,
        (await truth.region(x, y, w, h)) ?? blank,
      )
      total.tp += c.tp
      total.fp += c.fp
      total.fn += c.fn
      total.tn += c.tn
    }
  return total
}
