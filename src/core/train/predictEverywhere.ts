import type { ImageSummary } from '../../shared/types'
import { decodeCheckpoint } from '../engine/checkpointCodec'
import { encodeMaskPng } from '../data/maskRaster'
import { mcDropoutVariance, noiseModules } from '../methods/activeLearning/mcDropout'
import { UncertaintyMap } from '../methods/activeLearning/uncertaintyMap'
import { pixelDisagreement, pixelEntropy } from '../methods/activeLearning/uncertaintyMeasures'
import { findMethod } from '../methods/catalogue'
import type { RunConfig, Task } from '../methods/catalogueEntry'
import type { RestoredSegmenter } from '../methods/segmentation/restoredSegmenter'
import { storeImagePredictions } from '../methods/segmentation/slidePrediction'
import { listImages } from '../store/images'
import { imageUncertainty, putUncertainty, type UncertaintyStrategy } from '../store/predictionUncertainty'
import { imagePredictions } from '../store/predictions'
import type { Project } from '../store/project'
import { getRun, type RunRow } from '../store/runs'
import { predictLabels } from './predictLabels'

/**
 * Predict everywhere (the labelling loop's first step): a finished segmentation run's model, rebuilt from its
 * checkpoint, predicts the project's unlabelled images (or all, or chosen ones) and measures how unsure it is
 * about each, in the same pass. Predictions are stored per run, apart from the annotators' masks; slides go
 * tile by tile as in training (tiled images stitched with their overlaps averaged, huge slides written as tiled
 * masks), never decoded whole. Images already predicted with every asked strategy are skipped, so a cancelled
 * or crashed job resumes where it stopped. A classification run predicts each image's labels instead
 * (predictLabels.ts): for its runs, "unlabelled" means no image labels yet.
 */

/** Which images: those without a mask yet, every image, or these ids. */
export type ImageChoice = 'unlabelled' | 'all' | number[]

export interface PredictRequest {
  runId: number
  images: ImageChoice
  /** Default: entropy, and disagreement when the run has two networks (cross teaching). */
  strategies?: UncertaintyStrategy[]
  /** Predict again images already done. */
  again?: boolean
  signal?: AbortSignal
  onProgress?(done: number, total: number, image: string): void
}

export interface PredictSummary {
  runId: number
  /** Images predicted now. */
  predicted: number
  /** Images skipped: already predicted with every strategy asked. */
  skipped: number
  strategies: UncertaintyStrategy[]
}

/** The largest value of each measure, for its heatmap: ln C nats, a share of pixels, a probability's variance. */
const MOST: Record<UncertaintyStrategy, (classes: number) => number> = {
  entropy: (classes) => Math.log(classes),
  disagreement: () => 1,
  'mc-dropout': () => 0.25,
}

/**
 * A finished run that can predict: a segmentation run whose model its method rebuilds from the checkpoint,
 * or a classification run (its classifier is in the checkpoint); a clear error for anything else.
 */
export function predictableRun(project: Project, runId: number): { run: RunRow; config: RunConfig } {
  const run = getRun(project, runId)
  if (run.status !== 'succeeded') throw new Error(`Run ${runId} has not finished (status ${run.status})`)
  if (!run.checkpointBlob) throw new Error(`Run ${runId} kept no checkpoint to predict from`)
  const config = run.config as RunConfig
  if (run.task === 'segmentation' && !findMethod(run.task, config.method).restoreSegmenter)
    throw new Error(`Run ${runId} is a ${config.method} run: its model cannot be rebuilt from its checkpoint`)
  return { run, config }
}

export function loadSegmenter(project: Project, runId: number): RestoredSegmenter {
  const { run, config } = predictableRun(project, runId)
  if (run.task !== 'segmentation') throw new Error(`Run ${runId} is a ${run.task} run, not segmentation`)
  const state = decodeCheckpoint(project.blobs.get(run.checkpointBlob!)).state
  return findMethod(run.task, config.method).restoreSegmenter!(project, config, state)
}

/**
 * Whether an image still waits for its annotation in a task: a segmentation run's images have no mask
 * yet, a classification run's no image labels.
 */
export function unlabelledFor(task: Task): (image: ImageSummary) => boolean {
  return task === 'classification' ? (i) => !i.labelled : (i) => !i.hasMask
}

/** The images a choice names; unknown ids are an error naming them. */
export function chosenImages(
  project: Project,
  choice: ImageChoice,
  task: Task = 'segmentation',
): ImageSummary[] {
  const all = listImages(project)
  if (choice === 'all') return all
  if (choice === 'unlabelled') return all.filter(unlabelledFor(task))
  const byId = new Map(all.map((i) => [i.id, i]))
  const missing = choice.filter((id) => !byId.has(id))
  if (missing.length) throw new Error(`No image with id ${missing.join(', ')} in this project`)
  return choice.map((id) => byId.get(id)!)
}

/** The strategies asked, checked against the model: a strategy it cannot measure is refused, saying why. */
function checkStrategies(
  model: RestoredSegmenter,
  asked: UncertaintyStrategy[] | undefined,
): UncertaintyStrategy[] {
  const strategies = asked ?? (model.partner ? ['entropy', 'disagreement'] : ['entropy'])
  if (strategies.includes('disagreement') && !model.partner)
    throw new Error(
      'Disagreement needs two networks (a cross teaching run: its CNN U-Net and Swin-UNet); this run has one',
    )
  if (strategies.includes('mc-dropout') && noiseModules(model.sampled.net).length === 0)
    throw new Error(
      `The run's ${model.sampled.name} has no dropout: Monte Carlo dropout needs a network with dropout layers (use entropy instead)`,
    )
  return [...new Set(strategies)]
}

export async function predictEverywhere(project: Project, request: PredictRequest): Promise<PredictSummary> {
  const { run } = predictableRun(project, request.runId)
  const images = chosenImages(project, request.images, run.task as Task)
  // A classifier predicts each image's labels (a slide's tiles averaged), not its pixels.
  if (run.task === 'classification')
    return { runId: request.runId, ...(await predictLabels(project, request.runId, images, request)) }
  const model = loadSegmenter(project, request.runId)
  try {
    const strategies = checkStrategies(model, request.strategies)
    const done = (image: ImageSummary) => {
      if (!imagePredictions(project, image.id).some((p) => p.runId === request.runId)) return false
      const have = new Set(imageUncertainty(project, request.runId, image.id).map((u) => u.strategy))
      return strategies.every((s) => have.has(s))
    }
    const todo = request.again ? images : images.filter((image) => !done(image))
    const byId = new Map(todo.map((image) => [image.id, image]))
    const maps = new Map<number, Map<UncertaintyStrategy, UncertaintyMap>>()
    /** An image's uncertainty maps, one per strategy, made when its first input is predicted. */
    const mapsOf = (imageId: number) => {
      let own = maps.get(imageId)
      if (!own) {
        const { width, height } = byId.get(imageId)!
        own = new Map(strategies.map((s) => [s, new UncertaintyMap(width, height)]))
        maps.set(imageId, own)
      }
      return own
    }
    const skipped = images.length - todo.length
    let predicted = 0
    request.onProgress?.(skipped, images.length, todo[0]?.name ?? '')
    // Images go to the model a few at a time (slidePrediction.ts), and each strategy measures the whole batch
    // at once (the partner network and the dropout passes too); each image keeps its own maps, written as
    // soon as its prediction is stored.
    await storeImagePredictions(
      project,
      request.runId,
      todo,
      model.predict,
      {
        size: model.size,
        redChannel: model.redChannel,
        classes: model.classes,
        signal: request.signal,
        observe: (x, probabilities, inputs) => {
          for (const strategy of strategies) {
            const values = (
              strategy === 'entropy'
                ? pixelEntropy(probabilities)
                : strategy === 'disagreement'
                  ? pixelDisagreement(probabilities, model.partner!(x))
                  : mcDropoutVariance(model.sampled.net, x, undefined, `The run's ${model.sampled.name}`)
            ).dataSync()
            const one = model.size * model.size
            for (const [k, input] of inputs.entries())
              mapsOf(input.imageId)
                .get(strategy)!
                .add(values.subarray(k * one, (k + 1) * one), model.size, input.place)
          }
        },
      },
      {
        stored: async (image) => {
          for (const [strategy, map] of mapsOf(image.id)) {
            const png = await encodeMaskPng({
              width: map.width,
              height: map.height,
              data: map.grey(MOST[strategy](model.classes)),
            })
            putUncertainty(project, {
              runId: request.runId,
              imageId: image.id,
              strategy,
              score: map.score(),
              map: { blob: project.blobs.put(png), width: map.width, height: map.height },
            })
          }
          maps.delete(image.id)
          predicted++
          request.onProgress?.(skipped + predicted, images.length, image.name)
          // Let the event loop breathe between images (progress, cancel).
          await new Promise((r) => setImmediate(r))
        },
      },
    )
    request.onProgress?.(images.length, images.length, '')
    return { runId: request.runId, predicted, skipped, strategies }
  } finally {
    model.dispose()
  }
}
