import * as tf from '@tensorflow/tfjs'
import { decodeCheckpoint } from '../engine/checkpointCodec'
import type { TrainState } from '../engine/trainState'
import { createBatchReader } from '../data/batchReader'
import { listTrainingSamples } from '../data/trainingSamples'
import { normalizeRgb } from '../methods/segmentation/normalizeRgb'
import { resolveHyper } from '../methods/method'
// The run's method gives its defaults (backbone, input size).
import { findMethod } from '../methods/catalogue'
import type { RunConfig } from '../methods/catalogueEntry'
import { buildClassifier, checkBackbone, type ClassifierNet } from '../methods/classification/classifierNet'
import { saliencyMap } from '../methods/classification/saliency'
import { saliencyOverlay } from '../methods/classification/saliencyOverlay'
import { listClasses } from '../store/classes'
import { labelMode } from '../store/labels'
import { getImage } from '../store/images'
import type { Project } from '../store/project'
import { getRun } from '../store/runs'

/**
 * A saliency map (paper section 4.1.1, Figure 2) of one image under a finished classification run's
 * classifier: the run's best-validation weights from its last checkpoint, the image as the classifier
 * saw it (whole, resized to the run's input size), the gradient of the chosen class's score (default:
 * the class the classifier predicts) with respect to the pixels, drawn over the image. CASS runs keep
 * the CNN's weights (its Transformer is scored during the run, not kept).
 */
export interface SaliencyRequest {
  runId: number
  imageId: number
  /** A class name; default the predicted class. */
  className?: string
  /** Overlay opacity in [0, 1]. */
  opacity?: number
}

export interface SaliencyResult {
  size: number
  /** The image as the classifier saw it, 8-bit RGB size × size. */
  image: Uint8Array
  /** |∂score/∂pixel|, max over channels, size × size. */
  map: Float32Array
  /** The image with the map drawn over it, 8-bit RGB. */
  overlay: Uint8Array
  className: string
  /** The classifier's probability for that class. */
  probability: number
}

/** The classifier weights in a run's checkpoint: best-validation ones when kept, else the last. */
export function classifierWeights(state: TrainState): TrainState {
  const prefixes = ['best.', 'cnnFineTune.best.', 'net.', 'cnnFineTune.net.']
  for (const prefix of prefixes) {
    const part = Object.fromEntries(
      Object.entries(state)
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, v]) => [k.slice(prefix.length), v]),
    )
    if (Object.keys(part).length) return part
  }
  throw new Error('The run checkpoint holds no classifier weights (was it a classification run?)')
}

export async function runSaliency(project: Project, request: SaliencyRequest): Promise<SaliencyResult> {
  const run = getRun(project, request.runId)
  if (run.task !== 'classification') throw new Error(`Run ${run.id} is a ${run.task} run, not classification`)
  if (run.status !== 'succeeded') throw new Error(`Run ${run.id} has not finished (status ${run.status})`)
  if (!run.checkpointBlob) throw new Error(`Run ${run.id} kept no checkpoint to draw saliency from`)
  const config = run.config as RunConfig
  const method = findMethod('classification', config.method).method
  const h = resolveHyper(method.defaults(config.preset), config.overrides, method.name)
  const backbone = checkBackbone(String(h.backbone ?? h.cnnBackbone))
  const size = Number(h.imageSize)
  const classes = listClasses(project)
  const image = getImage(project, request.imageId)
  const [sample, ...more] = listTrainingSamples(project, [image], { tiles: false })
  if (!sample || more.length)
    throw new Error(`Image ${image.name} is read tile by tile: pick a tile-sized image`)
  const reader = createBatchReader(project, [sample], { size, redChannel: Boolean(h.redChannel) })
  const pixels = (await reader.read([0])).pixels
  const net: ClassifierNet = buildClassifier({ backbone, classes: classes.length, imageSize: size, seed: 0 })
  try {
    const weights = classifierWeights(decodeCheckpoint(project.blobs.get(run.checkpointBlob)).state)
    for (const [name, slot] of net.stateDict()) {
      const saved = weights[name]
      if (!saved || saved.shape.join() !== slot.value.shape.join())
        throw new Error(`Run ${run.id}'s checkpoint does not fit a ${backbone} classifier (tensor ${name})`)
      const t = tf.tensor(saved.values, saved.shape, slot.value.dtype)
      slot.assign(t)
      t.dispose()
    }
    net.train(false)
    const x = tf.tensor4d(normalizeRgb(pixels), [1, size, size, 3])
    try {
      const logits = net.forward(x)
      const scores = Array.from(logits.dataSync())
      logits.dispose()
      let classIndex = scores.indexOf(Math.max(...scores))
      if (request.className !== undefined) {
        classIndex = classes.findIndex((c) => c.name === request.className)
        if (classIndex < 0)
          throw new Error(
            `No class '${request.className}' (classes: ${classes.map((c) => c.name).join(', ')})`,
          )
      }
      const probability =
        labelMode(project) === 'multi-label'
          ? 1 / (1 + Math.exp(-scores[classIndex]))
          : Math.exp(scores[classIndex]) / scores.reduce((a, s) => a + Math.exp(s), 0)
      const mapTensor = saliencyMap((images) => net.forward(images), x, classIndex)
      const map = Float32Array.from(mapTensor.dataSync())
      mapTensor.dispose()
      return {
        size,
        image: pixels,
        map,
        overlay: saliencyOverlay(pixels, map, size, size, request.opacity ?? 0.7),
        className: classes[classIndex].name,
        probability,
      }
    } finally {
      x.dispose()
    }
  } finally {
    net.dispose()
  }
}
