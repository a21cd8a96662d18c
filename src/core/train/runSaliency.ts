import * as tf from '@tensorflow/tfjs'
import { listTrainingSamples } from '../data/trainingSamples'
import { normalizeRgb } from '../methods/segmentation/normalizeRgb'
import { saliencyMap } from '../methods/classification/saliency'
import { saliencyOverlay } from '../methods/classification/saliencyOverlay'
import { stitchTiles } from '../methods/classification/tileStitching'
import { getImage } from '../store/images'
import type { Project } from '../store/project'
import { imageProbabilities } from './imageProbabilities'
import { loadClassifier } from './restoredClassifier'

/**
 * A saliency map (paper section 4.1.1, Figure 2) of one image under a finished classification run's
 * classifier: the run's best-validation weights from its last checkpoint, the image as the classifier
 * saw it (whole, resized to the run's input size; a slide tile by tile), the gradient of the chosen
 * class's score (default: the class the classifier predicts, from the tiles' averaged probabilities as
 * its predictions are) with respect to the pixels, drawn over the image. A slide's tile maps are
 * stitched back at the model's scale. CASS runs keep both networks: the CNN's map by default, the
 * Transformer's with `network: 'vit'` (the same input gradient through its patch embedding).
 */
export interface SaliencyRequest {
  runId: number
  imageId: number
  /** A class name; default the predicted class. */
  className?: string
  /** Overlay opacity in [0, 1]. */
  opacity?: number
  /** CASS: which of its networks; others have one. Default 'cnn'. */
  network?: 'cnn' | 'vit'
}

export interface SaliencyResult {
  /** The map's size: the classifier's input side, or a slide at that scale (its tiles stitched). */
  width: number
  height: number
  /** Tiles the map was stitched from; 1 for a whole image. */
  tiles: number
  /** The image as the classifier saw it, 8-bit RGB width × height. */
  image: Uint8Array
  /** |∂score/∂pixel|, max over channels, width × height. */
  map: Float32Array
  /** The image with the map drawn over it, 8-bit RGB. */
  overlay: Uint8Array
  className: string
  /** The classifier's probability for that class (a slide: averaged over its tiles). */
  probability: number
}

/** Tiles scored and explained together: bounds the backward pass's memory on a slide. */
const TILES_PER_PASS = 4

export async function runSaliency(project: Project, request: SaliencyRequest): Promise<SaliencyResult> {
  const image = getImage(project, request.imageId)
  const restored = loadClassifier(project, request.runId, {
    network: request.network,
    purpose: 'draw saliency from',
  })
  const { net, size, classes } = restored
  try {
    // The samples the classifier reads: the whole image, or a slide's tiles.
    const samples = listTrainingSamples(project, [image], { tiles: true })
    if (!samples.length) throw new Error(`Image ${image.name} has no tiles with tissue to explain`)
    // First the probabilities, averaged over the tiles as the run's predictions are.
    const pixels: Uint8Array[] = []
    const { mean } = await imageProbabilities(project, restored, samples, TILES_PER_PASS, (p) =>
      pixels.push(p),
    )
    const passes = Array.from({ length: Math.ceil(samples.length / TILES_PER_PASS) }, (_, i) =>
      Array.from(
        { length: Math.min(TILES_PER_PASS, samples.length - i * TILES_PER_PASS) },
        (_, k) => i * TILES_PER_PASS + k,
      ),
    )
    let classIndex = mean.indexOf(Math.max(...mean))
    if (request.className !== undefined) {
      classIndex = classes.findIndex((c) => c.name === request.className)
      if (classIndex < 0)
        throw new Error(`No class '${request.className}' (classes: ${classes.map((c) => c.name).join(', ')})`)
    }
    // Then each tile's map of that class.
    const maps: Float32Array[] = []
    for (const idx of passes) {
      const per = size * size * 3
      const batch = new Float32Array(idx.length * per)
      idx.forEach((i, k) => normalizeRgb(pixels[i], batch, k * per))
      const x = tf.tensor4d(batch, [idx.length, size, size, 3])
      const m = saliencyMap((images) => net.forward(images), x, classIndex)
      const values = m.dataSync()
      idx.forEach((_, k) =>
        maps.push(Float32Array.from(values.subarray(k * size * size, (k + 1) * size * size))),
      )
      tf.dispose([x, m])
    }
    const places = samples.map((s) => s.tile)
    const extent = { width: image.width, height: image.height }
    const map = stitchTiles(places, maps, size, extent)
    const rgb = stitchTiles(places, pixels, size, extent, 3)
    return {
      width: map.width,
      height: map.height,
      tiles: samples.length,
      image: rgb.data,
      map: map.data,
      overlay: saliencyOverlay(rgb.data, map.data, map.width, map.height, request.opacity ?? 0.7),
      className: classes[classIndex].name,
      probability: mean[classIndex],
    }
  } finally {
    restored.dispose()
  }
}
