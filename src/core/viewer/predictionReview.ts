import type { AcceptMode, PredictionDifference } from '../../shared/contract/viewer'
import {
  applyMaskPatches,
  checkMaskPatches,
  loadMaskBlob,
  putMask,
  type MaskPatchInput,
} from '../data/maskRaster'
import { openStoredMask, TiledMaskWriter, type StoredMask } from '../data/tiledMask'
import { revisionsTiled } from '../store/maskManifest'
import { assertMaskEditable, evaluationSubset } from '../store/evaluationMasks'
import { getImage } from '../store/images'
import { largestMaskValue } from '../store/maskClasses'
import { commitMaskRevision, maskHead } from '../store/masks'
import { predictionBlob } from '../store/predictions'
import type { Project } from '../store/project'

/** Pixel values of the difference view: what accepting the prediction would do to each pixel. */
export const DIFFERENCE = { added: 1, removed: 2, changed: 3 } as const

/** Masks are compared a block at a time, so a whole slide never needs one raster. */
const BLOCK = 1024

async function pair(project: Project, imageId: number, runId: number) {
  const img = getImage(project, imageId)
  const head = maskHead(project, imageId)
  const prediction = await openStoredMask(project, predictionBlob(project, runId, imageId))
  const mask = head ? await openStoredMask(project, head.blob) : null
  if (prediction.width !== img.width || prediction.height !== img.height)
    throw new Error(`Run ${runId}'s prediction for image ${imageId} is not the image's size`)
  return { img, head, prediction, mask }
}

async function region(m: StoredMask | null, x: number, y: number, w: number, h: number) {
  return (m && (await m.region(x, y, w, h))) ?? null
}

/** The difference of one rectangle: DIFFERENCE values per pixel, or null when accepting changes nothing there. */
export function differenceOf(
  mask: Uint8Array | null,
  prediction: Uint8Array | null,
  n: number,
): Uint8Array | null {
  if (!mask && !prediction) return null
  const out = new Uint8Array(n)
  let any = false
  for (let i = 0; i < n; i++) {
    const m = mask ? mask[i] : 0
    const p = prediction ? prediction[i] : 0
    if (m === p) continue
    out[i] = m === 0 ? DIFFERENCE.added : p === 0 ? DIFFERENCE.removed : DIFFERENCE.changed
    any = true
  }
  return any ? out : null
}

/** The difference view of a rectangle of the image (for the viewer's tiles). */
export async function differenceRegion(
  project: Project,
  imageId: number,
  runId: number,
  x: number,
  y: number,
  w: number,
  h: number,
): Promise<Uint8Array | null> {
  const { prediction, mask } = await pair(project, imageId, runId)
  return differenceOf(await region(mask, x, y, w, h), await region(prediction, x, y, w, h), w * h)
}

/** What accepting a run's prediction would replace: pixel counts, and whether the image is evaluation data. */
export async function comparePrediction(
  project: Project,
  imageId: number,
  runId: number,
): Promise<PredictionDifference> {
  const { img, head, prediction, mask } = await pair(project, imageId, runId)
  const out: PredictionDifference = {
    imageId,
    runId,
    pixels: img.width * img.height,
    maskPixels: 0,
    predictionPixels: 0,
    added: 0,
    removed: 0,
    changed: 0,
    mask: head ? { revisionId: head.id, kind: head.kind, createdAt: head.createdAt } : null,
    evaluation: evaluationSubset(project, imageId),
  }
  for (let y = 0; y < img.height; y += BLOCK)
    for (let x = 0; x < img.width; x += BLOCK) {
      const w = Math.min(BLOCK, img.width - x)
      const h = Math.min(BLOCK, img.height - y)
      const m = await region(mask, x, y, w, h)
      const p = await region(prediction, x, y, w, h)
      for (let i = 0; i < w * h; i++) {
        const a = m ? m[i] : 0
        const b = p ? p[i] : 0
        if (a) out.maskPixels++
        if (b) out.predictionPixels++
        if (a === b) continue
        if (a === 0) out.added++
        else if (b === 0) out.removed++
        else out.changed++
      }
    }
  return out
}

export interface AcceptOptions {
  /** Replace the mask, or fill only the pixels the annotator left unpainted. */
  mode: AcceptMode
  /** Validation and test masks are ground truth: accepting over one must be confirmed as such. */
  evaluationConfirmed: boolean
}

/**
 * Makes a run's prediction the image's mask, as a new revision recorded with the run (one undo away). On a
 * validation or test image it is refused unless confirmed as evaluation data, and always when the project
 * locks those masks. "Fill only where unpainted" keeps every pixel the annotator painted.
 */
export async function acceptPrediction(
  project: Project,
  imageId: number,
  runId: number,
  opts: AcceptOptions,
): Promise<void> {
  assertMaskEditable(project, imageId)
  const subset = evaluationSubset(project, imageId)
  if (subset && !opts.evaluationConfirmed)
    throw new Error(
      `Image ${imageId} is in the ${subset === 'test' ? 'test' : 'validation'} set: its mask is evaluation data. ` +
        'Confirm replacing evaluation ground truth to accept a prediction here',
    )
  const blob = predictionBlob(project, runId, imageId)
  const head = maskHead(project, imageId)
  if (opts.mode === 'replace' || !head) {
    commitMaskRevision(project, imageId, blob, 'prediction', runId)
    return
  }
  const { img, prediction, mask } = await pair(project, imageId, runId)
  const patches: MaskPatchInput[] = []
  for (let y = 0; y < img.height; y += BLOCK)
    for (let x = 0; x < img.width; x += BLOCK) {
      const w = Math.min(BLOCK, img.width - x)
      const h = Math.min(BLOCK, img.height - y)
      const p = await region(prediction, x, y, w, h)
      if (!p) continue
      const m = await region(mask, x, y, w, h)
      const data = m ? Uint8Array.from(m) : new Uint8Array(w * h)
      let any = false
      for (let i = 0; i < data.length; i++)
        if (data[i] === 0 && p[i] !== 0) {
          data[i] = p[i]
          any = true
        }
      if (any) patches.push({ x, y, width: w, height: h, data })
    }
  const maxClass = largestMaskValue(project)
  checkMaskPatches(img, patches, maxClass)
  let merged: string
  if (revisionsTiled(img)) {
    const writer = await TiledMaskWriter.from(project, head.blob, img)
    for (const q of patches) await writer.write(q)
    merged = await writer.finish()
  } else {
    merged = await putMask(
      project,
      applyMaskPatches(await loadMaskBlob(project, head.blob), img, patches, maxClass),
    )
  }
  commitMaskRevision(project, imageId, merged, 'prediction', runId)
}
