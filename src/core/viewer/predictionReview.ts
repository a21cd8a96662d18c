import type { PredictionDifference } from '../../shared/contract/viewer'
import type { AcceptMode } from '../../shared/types'
import type { MaskPatchInput } from '../data/maskRaster'
import { putPatchedMask } from '../data/patchedMask'
import { openStoredMask, type StoredMask } from '../data/tiledMask'
import { assertMaskEditable, evaluationSubset } from '../store/evaluationMasks'
import { getImage } from '../store/images'
import { largestMaskValue } from '../store/maskClasses'
import { commitMaskRevision, maskHead } from '../store/masks'
import { imagePredictions, predictionBlob, predictionProbabilityBlob } from '../store/predictions'
import { DEFAULT_CONFIDENCE } from '../../shared/types'
import { acceptedValues, predictedConfidence } from './acceptedMask'
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

/** How to accept: the mode and, for 'confident', the probability a pixel needs (default 0.9). */
export interface AcceptChoice {
  mode: AcceptMode
  threshold?: number
}

/**
 * The probability maps 'confident' reads: the "any mask class" map and each class's own (multi-class runs).
 * A run predicted before maps were kept is refused, saying so.
 */
async function probabilityMaps(project: Project, imageId: number, runId: number) {
  const stored = imagePredictions(project, imageId).find((p) => p.runId === runId)?.probabilities ?? []
  const open = async (v: number) =>
    openStoredMask(project, predictionProbabilityBlob(project, runId, imageId, v))
  const anyClass = await open(0)
  const byClass = new Map<number, StoredMask>()
  for (const v of stored) if (v > 0) byClass.set(v, await open(v))
  return { anyClass, byClass }
}

/**
 * What the mask becomes in one block under a choice (acceptedMask.ts), with the block's current mask:
 * reads the prediction, and for 'confident' its probabilities.
 */
async function acceptedBlock(
  project: Project,
  imageId: number,
  runId: number,
  opened: Awaited<ReturnType<typeof pair>>,
  maps: Awaited<ReturnType<typeof probabilityMaps>> | null,
  choice: AcceptChoice,
  x: number,
  y: number,
  w: number,
  h: number,
): Promise<{ before: Uint8Array | null; after: Uint8Array }> {
  const n = w * h
  const before = await region(opened.mask, x, y, w, h)
  const p = await region(opened.prediction, x, y, w, h)
  let confidence: Uint8Array | null = null
  if (choice.mode === 'confident') {
    const zeros = new Uint8Array(n)
    const byClass = new Map<number, Uint8Array>()
    for (const [v, m] of maps!.byClass) byClass.set(v, (await region(m, x, y, w, h)) ?? zeros)
    confidence = predictedConfidence(p ?? zeros, (await region(maps!.anyClass, x, y, w, h)) ?? zeros, byClass)
  }
  return {
    before,
    after: acceptedValues(choice.mode, before, p, n, confidence, choice.threshold ?? DEFAULT_CONFIDENCE),
  }
}

async function opening(project: Project, imageId: number, runId: number, choice: AcceptChoice) {
  if (choice.mode === 'confident') {
    const t = choice.threshold ?? DEFAULT_CONFIDENCE
    if (!(t > 0 && t <= 1)) throw new Error(`threshold is a probability in (0, 1], got ${t}`)
  }
  const opened = await pair(project, imageId, runId)
  const maps = choice.mode === 'confident' ? await probabilityMaps(project, imageId, runId) : null
  return { opened, maps }
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

/** The difference view of a rectangle of the image (for the viewer's tiles): what accepting would change. */
export async function differenceRegion(
  project: Project,
  imageId: number,
  runId: number,
  x: number,
  y: number,
  w: number,
  h: number,
  choice: AcceptChoice = { mode: 'replace' },
): Promise<Uint8Array | null> {
  const { opened, maps } = await opening(project, imageId, runId, choice)
  const { before, after } = await acceptedBlock(project, imageId, runId, opened, maps, choice, x, y, w, h)
  return differenceOf(before, after, w * h)
}

/**
 * What accepting a run's prediction in a mode would change: pixel counts (added, removed, class changed),
 * the mask it replaces, and whether the image is evaluation data.
 */
export async function comparePrediction(
  project: Project,
  imageId: number,
  runId: number,
  choice: AcceptChoice = { mode: 'replace' },
): Promise<PredictionDifference> {
  const { opened, maps } = await opening(project, imageId, runId, choice)
  const { img, head } = opened
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
      const { before, after } = await acceptedBlock(project, imageId, runId, opened, maps, choice, x, y, w, h)
      const p = await region(opened.prediction, x, y, w, h)
      for (let i = 0; i < w * h; i++) {
        const a = before ? before[i] : 0
        const b = after[i]
        if (a) out.maskPixels++
        if (p && p[i]) out.predictionPixels++
        if (a === b) continue
        if (a === 0) out.added++
        else if (b === 0) out.removed++
        else out.changed++
      }
    }
  return out
}

export interface AcceptOptions extends AcceptChoice {
  /** Validation and test masks are ground truth: accepting over one must be confirmed as such. */
  evaluationConfirmed: boolean
}

/**
 * Makes a run's prediction the image's mask, as a new revision recorded with the run and how it was
 * accepted (one undo away); the mask becomes "reviewed" (store/masks.ts). On a validation or test image it is
 * refused unless confirmed as evaluation data, and always when the project locks those masks. "Fill only
 * where unpainted" keeps every pixel the annotator painted; "confident" takes only pixels the model was
 * sure of (acceptedMask.ts).
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
  const choice: AcceptChoice = { mode: opts.mode, threshold: opts.threshold }
  const acceptance = {
    mode: opts.mode,
    ...(opts.mode === 'confident' && { threshold: opts.threshold ?? DEFAULT_CONFIDENCE }),
  }
  const blob = predictionBlob(project, runId, imageId)
  const head = maskHead(project, imageId)
  if (opts.mode === 'replace' || (opts.mode === 'fillUnpainted' && !head)) {
    commitMaskRevision(project, imageId, blob, 'prediction', runId, acceptance)
    return
  }
  const { opened, maps } = await opening(project, imageId, runId, choice)
  const { img } = opened
  const patches: MaskPatchInput[] = []
  for (let y = 0; y < img.height; y += BLOCK)
    for (let x = 0; x < img.width; x += BLOCK) {
      const w = Math.min(BLOCK, img.width - x)
      const h = Math.min(BLOCK, img.height - y)
      const { before, after } = await acceptedBlock(project, imageId, runId, opened, maps, choice, x, y, w, h)
      if (differenceOf(before, after, w * h)) patches.push({ x, y, width: w, height: h, data: after })
    }
  const maxClass = largestMaskValue(project)
  const merged = await putPatchedMask(project, img, head?.blob ?? null, patches, maxClass)
  commitMaskRevision(project, imageId, merged, 'prediction', runId, acceptance)
}
