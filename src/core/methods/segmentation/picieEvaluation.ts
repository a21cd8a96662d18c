import * as tf from '@tensorflow/tfjs'
import {
  applyClusterMapping,
  clusterClassHistogram,
  mapClustersToClasses,
} from '../../eval/clusterToClassMapping'
import { splitScorer, type SplitScores } from '../../eval/segmentationScores'
import { resizeBilinear } from '../../models/nn/resize'
import { picieBatches } from './picieBatches'
import { normalizeFeatures } from './picieFeatures'
import { clusterLogits } from './picieLoss'
import { batchImages, readBatches, type SegmentationSet } from './segmentationData'
import type { SegmentationNet } from './segmentationNet'

/**
 * Scoring PiCIE's clusters as classes: each pixel takes its nearest centroid (the frozen 1×1 conv
 * classifier, logits upsampled bilinearly to the image, as commons.py `evaluate`), clusters are matched
 * to classes by Hungarian matching on the validation split's cluster × class histogram, and the mapped
 * maps are scored like any segmentation. The net runs in eval mode.
 */

/** Cluster maps of a set, batch by batch, with each batch's masks (the set is never held whole). */
async function eachClusterMap(
  net: SegmentationNet,
  classifier: tf.Tensor2D,
  set: SegmentationSet,
  size: number,
  name: string,
  use: (clusters: Uint8Array, truth: Uint8Array) => void,
): Promise<void> {
  net.train(false)
  try {
    for await (const b of readBatches(set, picieBatches(set.ids.length, 8))) {
      if (!b.masks) throw new Error(`The ${name} images carry no masks`)
      const a = tf.tidy(() => {
        const f = normalizeFeatures(net.forward(batchImages(b, size)))
        return tf.argMax(resizeBilinear(clusterLogits(f, classifier), [size, size]), -1)
      })
      const flat = a.dataSync()
      a.dispose()
      for (let j = 0; j < b.count; j++) {
        const at = [j * size * size, (j + 1) * size * size]
        use(Uint8Array.from(flat.subarray(at[0], at[1])), b.masks.subarray(at[0], at[1]))
      }
    }
  } finally {
    net.train(true)
  }
}

export interface ClusterScores {
  /** Class of each cluster. */
  mapping: number[]
  val: SplitScores
  test: SplitScores
}

export async function scoreClusters(
  net: SegmentationNet,
  classifier: tf.Tensor2D,
  data: { val: SegmentationSet; test: SegmentationSet; size: number; classes: number },
  k: number,
): Promise<ClusterScores> {
  const histogram = Array.from({ length: k }, () => new Array<number>(data.classes).fill(0))
  await eachClusterMap(net, classifier, data.val, data.size, 'val', (clusters, truth) => {
    const h = clusterClassHistogram([clusters], [truth], k, data.classes)
    h.forEach((row, c) => row.forEach((v, t) => (histogram[c][t] += v)))
  })
  const mapping = mapClustersToClasses(histogram)
  const scoreMapped = async (set: SegmentationSet, name: string) => {
    const scorer = splitScorer(data.classes)
    await eachClusterMap(net, classifier, set, data.size, name, (clusters, truth) =>
      scorer.add(applyClusterMapping(clusters, mapping), truth),
    )
    return scorer.result()
  }
  return { mapping, val: await scoreMapped(data.val, 'val'), test: await scoreMapped(data.test, 'test') }
}

/** Class probabilities per pixel: each class sums the softmax of the clusters mapped to it. */
export function predictClasses(
  net: SegmentationNet,
  classifier: tf.Tensor2D,
  mapping: number[],
  classes: number,
  images: tf.Tensor4D,
): tf.Tensor4D {
  return tf.tidy(() => {
    net.train(false)
    try {
      const f = normalizeFeatures(net.forward(images))
      const p = tf.softmax(resizeBilinear(clusterLogits(f, classifier), [images.shape[1], images.shape[2]]))
      const toClass = tf.oneHot(tf.tensor1d(mapping, 'int32'), classes).toFloat()
      const [b, h, w] = p.shape
      return tf.reshape(tf.matMul(tf.reshape(p, [-1, mapping.length]), toClass), [
        b,
        h,
        w,
        classes,
      ]) as tf.Tensor4D
    } finally {
      net.train(true)
    }
  })
}
