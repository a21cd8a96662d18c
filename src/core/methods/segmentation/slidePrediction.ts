import * as tf from '@tensorflow/tfjs'
import { readRgb } from '../../data/tileImage'
import { stitchTiles, type StitchedMask, type TilePrediction } from '../../eval/stitchTiles'
import { resizeBilinear } from '../../models/nn/resize'
import { listImages } from '../../store/images'
import { slideTilesInUse } from '../../data/slideTissue'
import type { Project } from '../../store/project'
import { encodeMaskPng } from '../../data/maskRaster'
import { TiledMaskWriter, usesTiledMask } from '../../data/tiledMask'
import type { ImageSummary } from '../../../shared/types'
import { usesTiles } from '../../data/trainingSamples'
import { preprocessImage } from './dataset'
import { putPrediction, putPredictionProbabilities } from '../../store/predictions'
import { probabilityMapValues, quantiseProbabilities } from './probabilityMaps'

/**
 * Back to the slide: a trained model's prediction for a whole image. A tiled image is predicted tile by
 * tile at the model's input size (the tiles slideTissue.ts uses: mostly-glass tiles stay background), each tile's probabilities resized back to the tile's pixels, and the
 * tiles stitched at their source positions (overlaps averaged, padding dropped); an untiled image is
 * predicted whole and resized back. The result is a class-index mask the size of the image, with the
 * stitched probabilities it was taken from.
 */

export type Predictor = (images: tf.Tensor4D) => tf.Tensor4D | Promise<tf.Tensor4D>

/**
 * What one model input covers of its image: the level-0 rectangle [x, x + span.width) × [y, y + span.height),
 * of which width × height pixels from (x, y) are inside the image (a tile at the edge is padded); a whole
 * image is its own span.
 */
export interface InputPlace {
  x: number
  y: number
  width: number
  height: number
  span: { width: number; height: number }
}

/**
 * Sees every model input and its probabilities [1, size, size, C] as they are predicted (inside a tidy: read
 * what it needs, keep nothing), e.g. to measure the model's uncertainty in the same pass.
 */
export type PredictionObserver = (images: tf.Tensor4D, probabilities: tf.Tensor4D, place: InputPlace) => void

type PredictOptions = { size: number; redChannel: boolean; classes: number; observe?: PredictionObserver }

/** Class probabilities of the image in `blob`, predicted at the model's size and resized to width × height. */
async function probabilities(
  project: Project,
  blob: string,
  predict: Predictor,
  opts: PredictOptions,
  width: number,
  height: number,
  place: InputPlace,
): Promise<Float32Array> {
  const { size } = opts
  const x = preprocessImage(await readRgb(project.blobs.get(blob)), size, opts.redChannel)
  const images = tf.tensor4d(x, [1, size, size, 3])
  try {
    // A predictor apart from this process (the GPU window) answers later, with a tensor made outside this
    // tidy; a predictor here answers at once, its intermediates freed by the tidy.
    let later: Promise<tf.Tensor4D> | undefined
    const now = tf.tidy(() => {
      const answer = predict(images)
      if (answer instanceof Promise) later = answer
      else return answer
    })
    const probs = now ?? (await later!)
    try {
      const p = tf.tidy(() => {
        opts.observe?.(images, probs, place)
        return resizeBilinear(probs, [height, width])
      })
      const out = p.dataSync() as Float32Array
      p.dispose()
      return out
    } finally {
      probs.dispose()
    }
  } finally {
    images.dispose()
  }
}

export async function predictImageMask(
  project: Project,
  image: ImageSummary,
  predict: Predictor,
  opts: PredictOptions,
): Promise<Uint8Array> {
  return (await predictImage(project, image, predict, opts)).mask
}

async function predictImage(
  project: Project,
  image: ImageSummary,
  predict: Predictor,
  opts: PredictOptions,
): Promise<StitchedMask> {
  const { classes } = opts
  const tiled = usesTiles(image)
  const tiles = tiled ? slideTilesInUse(project, image).tiles : []
  const probabilitiesAt = (blob: string, width: number, height: number, place: InputPlace) =>
    probabilities(project, blob, predict, opts, width, height, place)
  if (!tiled) {
    const whole = { width: image.width, height: image.height }
    const probs = await probabilitiesAt(image.blob, image.width, image.height, {
      x: 0,
      y: 0,
      ...whole,
      span: whole,
    })
    const tile: TilePrediction = {
      x: 0,
      y: 0,
      width: image.width,
      height: image.height,
      size: image.width,
      probabilities: probs,
    }
    if (image.width !== image.height) {
      // stitchTiles takes square tiles: pad the probabilities out to a square of the longer side.
      const side = Math.max(image.width, image.height)
      const square = new Float32Array(side * side * classes)
      for (let r = 0; r < image.height; r++) {
        square.set(
          probs.subarray(r * image.width * classes, (r + 1) * image.width * classes),
          r * side * classes,
        )
      }
      Object.assign(tile, { size: side, probabilities: square })
    }
    return stitchTiles([tile], image, classes)
  }
  const predictions: TilePrediction[] = []
  for (const t of tiles) {
    predictions.push({
      x: t.x,
      y: t.y,
      width: t.width,
      height: t.height,
      size: t.tileSize,
      probabilities: await probabilitiesAt(t.blob, t.tileSize, t.tileSize, tilePlace(t)),
    })
  }
  return stitchTiles(predictions, image, classes)
}

function tilePlace(t: { x: number; y: number; width: number; height: number; tileSize: number }): InputPlace {
  return { x: t.x, y: t.y, width: t.width, height: t.height, span: { width: t.tileSize, height: t.tileSize } }
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
  predict: Predictor,
  opts: PredictOptions & { signal?: AbortSignal },
): Promise<{ mask: string; probabilities: Map<number, string> }> {
  const { classes } = opts
  const writer = new TiledMaskWriter(project, image.width, image.height)
  const maps = new Map(
    probabilityMapValues(classes).map((v) => [v, new TiledMaskWriter(project, image.width, image.height)]),
  )
  for (const t of slideTilesInUse(project, image).tiles) {
    opts.signal?.throwIfAborted()
    const span = t.tileSize
    const probs = await probabilities(project, t.blob, predict, opts, span, span, tilePlace(t))
    const data = new Uint8Array(t.width * t.height)
    for (let r = 0; r < t.height; r++)
      for (let c = 0; c < t.width; c++) {
        const at = (r * span + c) * classes
        let best = 0
        for (let k = 1; k < classes; k++) if (probs[at + k] > probs[at + best]) best = k
        data[r * t.width + c] = best
      }
    await writer.write({ x: t.x, y: t.y, width: t.width, height: t.height, data })
    for (const [v, map] of quantiseProbabilities(probs, span, t.width, t.height, classes))
      await maps.get(v)!.write({ x: t.x, y: t.y, width: t.width, height: t.height, data: map })
  }
  const stored = new Map<number, string>()
  for (const [v, w] of maps) stored.set(v, await w.finish())
  return { mask: await writer.finish(), probabilities: stored }
}

/** An image stored whole: its mask and its probability maps, each one PNG blob. */
async function predictWholeMask(
  project: Project,
  image: ImageSummary,
  predict: Predictor,
  opts: PredictOptions,
): Promise<{ mask: string; probabilities: Map<number, string> }> {
  const { width, height } = image
  const stitched = await predictImage(project, image, predict, opts)
  const put = async (data: Uint8Array) => project.blobs.put(await encodeMaskPng({ width, height, data }))
  const probabilities = new Map<number, string>()
  for (const [v, map] of quantiseProbabilities(stitched.probabilities, width, width, height, opts.classes))
    probabilities.set(v, await put(map))
  return { mask: await put(stitched.mask), probabilities }
}

/**
 * Predicts one image and stores the mask, with its probability maps, as the run's prediction of it (never
 * as the image's mask: the annotator's revisions stay apart until they accept it). A slide above the
 * tiled-mask size is written tile by tile and never held whole.
 */
export async function storeImagePrediction(
  project: Project,
  runId: number,
  image: ImageSummary,
  predict: Predictor,
  opts: PredictOptions & { signal?: AbortSignal },
): Promise<void> {
  const { mask, probabilities } = usesTiledMask(image)
    ? await predictTiledMask(project, image, predict, opts)
    : await predictWholeMask(project, image, predict, opts)
  project.db
    .transaction(() => {
      putPrediction(project, runId, image.id, mask)
      putPredictionProbabilities(project, runId, image.id, probabilities)
    })
    .immediate()
}

/**
 * Stores a run's predicted mask and probability maps for every image of the project (the viewer overlays
 * them and can accept the mask).
 */
export async function storeRunPredictions(
  project: Project,
  runId: number,
  predict: Predictor,
  opts: { size: number; redChannel: boolean; classes: number; signal?: AbortSignal },
): Promise<number> {
  let stored = 0
  for (const image of listImages(project)) {
    opts.signal?.throwIfAborted()
    await storeImagePrediction(project, runId, image, predict, opts)
    stored++
  }
  return stored
}
