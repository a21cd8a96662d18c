import {
  argmaxClass,
  stitchTiles,
  wholeImageMask,
  type StitchedMask,
  type TilePrediction,
} from '../../eval/stitchTiles'
import { listImages } from '../../store/images'
import { slideTilesInUse } from '../../data/slideTissue'
import type { Project } from '../../store/project'
import { encodeMaskPng } from '../../data/maskRaster'
import { TiledMaskWriter, usesTiledMask } from '../../data/tiledMask'
import type { ImageSummary } from '../../../shared/types'
import { usesTiles } from '../../data/trainingSamples'
import {
  PREDICTION_BATCH,
  predictEach,
  predictInputs,
  type ModelInput,
  type PredictOptions,
  type Predictor,
} from './predictionBatches'
import { putPrediction, putPredictionProbabilities } from '../../store/predictions'
import { probabilityMapValues, quantiseProbabilities } from './probabilityMaps'

/**
 * Back to the slide: a trained model's prediction for a whole image. A tiled image is predicted tile by
 * tile at the model's input size (the tiles slideTissue.ts uses: mostly-glass tiles stay background), each
 * tile's probabilities resized back to the tile's pixels, and the tiles stitched at their source positions
 * (overlaps averaged, padding dropped); an untiled image is predicted whole and resized back. The result is
 * a class-index mask the size of the image, with the stitched probabilities it was taken from. Inputs go to
 * the network a few at a time (predictionBatches.ts): a slide's tiles together, and small images together
 * when a run predicts the whole project.
 */

export async function predictImageMask(
  project: Project,
  image: ImageSummary,
  predict: Predictor,
  opts: PredictOptions,
): Promise<Uint8Array> {
  return (await predictImage(project, image, predict, opts)).mask
}

/** The model inputs of an image: the image whole, or its tiles in use (mostly-glass tiles skipped). */
function inputsOf(project: Project, image: ImageSummary): ModelInput[] {
  if (!usesTiles(image)) {
    const whole = { width: image.width, height: image.height }
    return [{ imageId: image.id, blob: image.blob, ...whole, place: { x: 0, y: 0, ...whole, span: whole } }]
  }
  return slideTilesInUse(project, image).tiles.map(tileInput)
}

/** The image's mask from its inputs' probabilities (inputsOf's order). */
function stitched(
  image: ImageSummary,
  inputs: readonly ModelInput[],
  probs: readonly Float32Array[],
  classes: number,
): StitchedMask {
  if (!usesTiles(image)) return wholeImageMask(probs[0], image, classes)
  const predictions: TilePrediction[] = inputs.map(({ place }, k) => ({
    x: place.x,
    y: place.y,
    width: place.width,
    height: place.height,
    size: place.span.width,
    probabilities: probs[k],
  }))
  return stitchTiles(predictions, image, classes)
}

async function predictImage(
  project: Project,
  image: ImageSummary,
  predict: Predictor,
  opts: PredictOptions,
): Promise<StitchedMask> {
  const inputs = inputsOf(project, image)
  return stitched(image, inputs, await predictInputs(project, inputs, predict, opts), opts.classes)
}

/** A tile as a model input: its probabilities come back at the tile's full size, padding included. */
function tileInput(t: {
  imageId: number
  blob: string
  x: number
  y: number
  width: number
  height: number
  tileSize: number
}): ModelInput {
  const span = { width: t.tileSize, height: t.tileSize }
  return {
    imageId: t.imageId,
    blob: t.blob,
    ...span,
    place: { x: t.x, y: t.y, width: t.width, height: t.height, span },
  }
}

/**
 * A whole slide's prediction, straight into a tiled mask (tiledMask.ts): each training tile predicted,
 * resized to the level-0 pixels it covers, and its argmax written; tiles skipped as empty glass stay
 * background. The slide's tiles do not overlap, so this equals stitching them. Its probability maps are
 * tiled the same way.
 */
async function predictTiledMask(
  project: Project,
  image: ImageSummary,
  tiles: readonly ModelInput[],
  predict: Predictor,
  opts: PredictOptions,
): Promise<{ mask: string; probabilities: Map<number, string> }> {
  const { classes } = opts
  const writer = new TiledMaskWriter(project, image.width, image.height)
  const maps = new Map(
    probabilityMapValues(classes).map((v) => [v, new TiledMaskWriter(project, image.width, image.height)]),
  )
  await predictEach(project, tiles, predict, opts, async (probs, { place }) => {
    const { x, y, width, height } = place
    const span = place.span.width
    const data = new Uint8Array(width * height)
    for (let r = 0; r < height; r++)
      for (let c = 0; c < width; c++)
        data[r * width + c] = argmaxClass(probs, (r * span + c) * classes, classes)
    await writer.write({ x, y, width, height, data })
    for (const [v, map] of quantiseProbabilities(probs, span, width, height, classes))
      await maps.get(v)!.write({ x, y, width, height, data: map })
  })
  const stored = new Map<number, string>()
  for (const [v, w] of maps) stored.set(v, await w.finish())
  return { mask: await writer.finish(), probabilities: stored }
}

/** Stores an image's stitched prediction: its mask and its probability maps, each one PNG blob. */
async function storeStitched(
  project: Project,
  runId: number,
  image: ImageSummary,
  prediction: StitchedMask,
  classes: number,
): Promise<void> {
  const { width, height } = image
  const put = async (data: Uint8Array) => project.blobs.put(await encodeMaskPng({ width, height, data }))
  const probabilities = new Map<number, string>()
  for (const [v, map] of quantiseProbabilities(prediction.probabilities, width, width, height, classes))
    probabilities.set(v, await put(map))
  storePrediction(project, runId, image.id, { mask: await put(prediction.mask), probabilities })
}

function storePrediction(
  project: Project,
  runId: number,
  imageId: number,
  stored: { mask: string; probabilities: Map<number, string> },
): void {
  project.db
    .transaction(() => {
      putPrediction(project, runId, imageId, stored.mask)
      putPredictionProbabilities(project, runId, imageId, stored.probabilities)
    })
    .immediate()
}

/** What a caller does around each image's prediction (predictEverywhere: its uncertainty maps). */
export interface ImagePredictionHooks {
  /** Once the image's prediction is stored. */
  stored?: (image: ImageSummary) => void | Promise<void>
  /** After each batch: model inputs predicted so far of all the images' inputs, and what an input is. */
  progress?: (p: PredictionProgress) => void
}

/** How far a prediction of many images is, counted in model inputs (a whole image, or a slide's tile). */
export interface PredictionProgress {
  done: number
  total: number
  /** What the inputs are, in words: "images", or "images and tiles" when a slide is predicted tile by tile. */
  unit: 'images' | 'images and tiles'
}

/**
 * Predicts each image and stores its mask, with its probability maps, as the run's prediction of it (never
 * as the image's mask: the annotator's revisions stay apart until they accept it). Images stored whole are
 * gathered until their inputs fill a batch, so a folder of small images is predicted a batch at a time; a
 * slide above the tiled-mask size is predicted alone, its tiles in batches, written tile by tile and never
 * held whole. Returns how many were stored.
 */
export async function storeImagePredictions(
  project: Project,
  runId: number,
  images: readonly ImageSummary[],
  predict: Predictor,
  opts: PredictOptions,
  hooks: ImagePredictionHooks = {},
): Promise<number> {
  const batch = opts.batch ?? PREDICTION_BATCH
  const inputsByImage = new Map(images.map((image) => [image.id, inputsOf(project, image)]))
  const progress = {
    done: 0,
    total: [...inputsByImage.values()].reduce((n, i) => n + i.length, 0),
    unit: images.some(usesTiles) ? ('images and tiles' as const) : ('images' as const),
  }
  const counted: PredictOptions = {
    ...opts,
    afterBatch: (n) => {
      progress.done += n
      hooks.progress?.({ ...progress })
    },
  }
  hooks.progress?.({ ...progress })
  let stored = 0
  const done = async (image: ImageSummary) => {
    stored++
    await hooks.stored?.(image)
  }
  let waiting: { image: ImageSummary; inputs: ModelInput[] }[] = []
  let waitingInputs = 0
  const flush = async () => {
    const inputs = waiting.flatMap((w) => w.inputs)
    const probs = await predictInputs(project, inputs, predict, counted)
    let at = 0
    for (const w of waiting) {
      // A cancel keeps what was stored before it, no more.
      opts.signal?.throwIfAborted()
      const own = probs.slice(at, (at += w.inputs.length))
      await storeStitched(
        project,
        runId,
        w.image,
        stitched(w.image, w.inputs, own, opts.classes),
        opts.classes,
      )
      await done(w.image)
    }
    waiting = []
    waitingInputs = 0
  }
  for (const image of images) {
    opts.signal?.throwIfAborted()
    if (usesTiledMask(image)) {
      const tiled = await predictTiledMask(project, image, inputsByImage.get(image.id)!, predict, counted)
      storePrediction(project, runId, image.id, tiled)
      await done(image)
      continue
    }
    const inputs = inputsByImage.get(image.id)!
    waiting.push({ image, inputs })
    waitingInputs += inputs.length
    if (waitingInputs >= batch) await flush()
  }
  await flush()
  return stored
}

/**
 * Stores a run's predicted mask and probability maps for every image of the project (the viewer overlays
 * them and can accept the mask).
 */
export async function storeRunPredictions(
  project: Project,
  runId: number,
  predict: Predictor,
  opts: PredictOptions,
  progress?: (p: PredictionProgress) => void,
): Promise<number> {
  return storeImagePredictions(project, runId, listImages(project), predict, opts, { progress })
}
