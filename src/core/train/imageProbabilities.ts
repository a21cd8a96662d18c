import * as tf from '@tensorflow/tfjs'
import { createBatchReader } from '../data/batchReader'
import type { TrainingSample } from '../data/trainingSamples'
import { imageBatch } from '../methods/classification/classificationData'
import { classProbabilities } from '../methods/classification/classificationLoss'
import { averageOverTiles } from '../methods/classification/tileAveraging'
import type { Project } from '../store/project'
import type { RestoredClassifier } from './restoredClassifier'

/**
 * A restored classifier's class probabilities for images' samples (each image whole, or a slide's tiles with
 * tissue), `perPass` samples at a time to bound memory on a slide, and their mean per image: the image's
 * probabilities, as the run's own test images were scored (classifierEvaluation.ts). `mean` holds one row
 * of classes per image, in `imageIds`' order (one row for one image's samples). `seen` receives each
 * sample's pixels as the classifier read them (saliency explains those same pixels).
 */
export async function imageProbabilities(
  project: Project,
  model: Pick<RestoredClassifier, 'net' | 'size' | 'redChannel' | 'classes' | 'kind'>,
  samples: readonly TrainingSample[],
  perPass: number,
  seen?: (pixels: Uint8Array) => void,
): Promise<{ perSample: Float32Array; mean: Float32Array; imageIds: number[] }> {
  const { net, size, classes, kind } = model
  const reader = createBatchReader(project, [...samples], {
    size,
    redChannel: model.redChannel,
    cacheBytes: 0,
  })
  const perSample = new Float32Array(samples.length * classes.length)
  const one = size * size * 3
  for (let at = 0; at < samples.length; at += perPass) {
    const idx = Array.from({ length: Math.min(perPass, samples.length - at) }, (_, j) => at + j)
    const { pixels } = await reader.read(idx)
    if (seen) idx.forEach((_, k) => seen(pixels.slice(k * one, (k + 1) * one)))
    const p = tf.tidy(() => classProbabilities(kind, net.forward(imageBatch(pixels, size))))
    perSample.set(p.dataSync(), at * classes.length)
    p.dispose()
  }
  const byImage = averageOverTiles(
    samples.map((s) => s.imageId),
    perSample,
    classes.length,
  )
  return { perSample, mean: byImage.probabilities, imageIds: byImage.imageIds }
}
