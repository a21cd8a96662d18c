import * as tf from '@tensorflow/tfjs'
import { readRgb } from '../../data/tileImage'
import { resizeBilinear } from '../../models/nn/resize'
import type { Project } from '../../store/project'
import { preprocessImage } from './dataset'

/**
 * Model inputs predicted together. One at a time, a network spends much of a small input's time on per-op
 * overhead and on matrix products too thin to fill the kernels (measured 6 Dec, wasm, one thread, per input:
 * the tiny U-Net at 64 px 4.6 ms alone, 2.3 ms four at a time; at 224 px 50 → 29 ms; the ResNet-34 U-Net at
 * 224 px 410 → 350 ms); a GPU window is asked once per batch instead of once per input. Four is where the
 * gain levels off before the inputs outgrow the caches (16 at a time was slower again); `npm run
 * bench:predict` measures it. In evaluation mode every input's answer is its own (BatchNorm uses its running
 * statistics), so the batch changes the speed, not the masks.
 */
export const PREDICTION_BATCH = 4

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
 * Sees every batch as it is predicted: its model inputs [N, size, size, 3], their probabilities [N, size, size,
 * C] and which inputs they are, in order (inside a tidy: read what it needs, keep nothing), e.g. to measure
 * the model's uncertainty in the same pass, on the whole batch at once.
 */
export type PredictionObserver = (
  images: tf.Tensor4D,
  probabilities: tf.Tensor4D,
  inputs: readonly ModelInput[],
) => void

export interface PredictOptions {
  size: number
  redChannel: boolean
  classes: number
  observe?: PredictionObserver
  /** Inputs per call of the predictor (default PREDICTION_BATCH; 1 predicts one at a time). */
  batch?: number
  /** After each call of the predictor, with the number of inputs it predicted (for progress). */
  afterBatch?: (inputs: number) => void
  /** Checked before each batch: a cancelled job stops within one batch, even inside a slide. */
  signal?: AbortSignal
}

/**
 * One model input: the image it belongs to (inputs of several images may share a batch), the blob holding its
 * pixels, where it lies in its image, and the size its probabilities are resized back to.
 */
export interface ModelInput {
  imageId: number
  blob: string
  width: number
  height: number
  place: InputPlace
}

/** The predictor's answer for a batch: at once from a network here, later from one apart (the GPU window). */
async function answerFor(predict: Predictor, images: tf.Tensor4D): Promise<tf.Tensor4D> {
  // A predictor apart from this process answers later, with a tensor made outside this tidy; a predictor here
  // answers at once, its intermediates freed by the tidy.
  let later: Promise<tf.Tensor4D> | undefined
  const now = tf.tidy(() => {
    const answer = predict(images)
    if (answer instanceof Promise) later = answer
    else return answer
  })
  return now ?? (await later!)
}

/** One batch: each input's class probabilities, predicted at the model's size and resized to its width × height. */
async function predictBatch(
  project: Project,
  inputs: readonly ModelInput[],
  predict: Predictor,
  opts: PredictOptions,
): Promise<Float32Array[]> {
  const { size } = opts
  const pixels = new Float32Array(inputs.length * size * size * 3)
  for (const [k, input] of inputs.entries())
    pixels.set(
      preprocessImage(await readRgb(project.blobs.get(input.blob)), size, opts.redChannel),
      k * size * size * 3,
    )
  const images = tf.tensor4d(pixels, [inputs.length, size, size, 3])
  try {
    const probs = await answerFor(predict, images)
    try {
      if (probs.shape[0] !== inputs.length)
        throw new Error(`the model answered ${probs.shape[0]} predictions for ${inputs.length} inputs`)
      if (opts.observe) tf.tidy(() => opts.observe!(images, probs, inputs))
      return inputs.map((input, k) => {
        const p = tf.tidy(() =>
          resizeBilinear(probs.slice([k, 0, 0, 0], [1, -1, -1, -1]), [input.height, input.width]),
        )
        const out = p.dataSync() as Float32Array
        p.dispose()
        return out
      })
    } finally {
      probs.dispose()
    }
  } finally {
    images.dispose()
  }
}

/**
 * Predicts the inputs `opts.batch` at a time (the last batch takes what is left) and hands each input's class
 * probabilities to `each`, in order, as its batch is done: a slide's tiles can be written as they come and
 * never held together.
 */
export async function predictEach(
  project: Project,
  inputs: readonly ModelInput[],
  predict: Predictor,
  opts: PredictOptions,
  each: (probabilities: Float32Array, input: ModelInput) => void | Promise<void>,
): Promise<void> {
  const batch = opts.batch ?? PREDICTION_BATCH
  for (let i = 0; i < inputs.length; i += batch) {
    opts.signal?.throwIfAborted()
    const some = inputs.slice(i, i + batch)
    const answers = await predictBatch(project, some, predict, opts)
    for (const [k, input] of some.entries()) await each(answers[k], input)
    opts.afterBatch?.(some.length)
  }
}

/** Every input's class probabilities, in order (predictEach, kept together). */
export async function predictInputs(
  project: Project,
  inputs: readonly ModelInput[],
  predict: Predictor,
  opts: PredictOptions,
): Promise<Float32Array[]> {
  const out: Float32Array[] = []
  await predictEach(project, inputs, predict, opts, (probabilities) => void out.push(probabilities))
  return out
}
