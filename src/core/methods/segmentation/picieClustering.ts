import * as tf from '@tensorflow/tfjs'
import { throwIfCancelled } from '../method'
import { assignClusters, concatRows, MiniBatchKMeans } from './miniBatchKMeans'
import { picieBatches } from './picieBatches'
import { normalizeFeatures, viewFeatures } from './picieFeatures'
import type { PicieViewParams } from './picieViews'
import { batchImages, readBatches, type SegmentationSet } from './segmentationData'
import type { SegmentationNet } from './segmentationNet'

/**
 * The clustering half of a PiCIE epoch (janghyuncho/PiCIE and the Shra1-25 fork, commons.py):
 * run_mini_batch_kmeans per view, then compute_labels per view. k-means runs with the net in train mode,
 * as commons.py does (model.train() under no_grad: BatchNorm normalises with batch statistics and its
 * running statistics adapt); labels are computed in eval mode.
 */

export type ClusterWeighting = 'frequency' | 'inverse' | 'none'

export interface ClusteringSetup {
  net: SegmentationNet
  /** Every training image (PiCIE reads no masks). */
  pool: SegmentationSet
  size: number
  /** Side of the feature map; `size / featureSide` image pixels per feature cell. */
  featureSide: number
  dim: number
  k: number
  clusterBatchSize: number
  /**
   * Images per forward pass: a cluster batch too large for the backend's memory is featurised in parts of
   * this size and k-means still sees the whole batch. With the net in train mode (k-means), BatchNorm then
   * normalises each part with its own statistics, as in a micro-batched training step.
   */
  forwardImages: number
  initBatches: number
  updateBatches: number
  iterations: number
  /** The initial k-means' point limit per centroid (MiniBatchKMeans.maxPointsPerCluster); 0: none. */
  maxPointsPerCluster: number
  random: { next(): number; shuffle<T>(items: readonly T[]): T[] }
  signal?: AbortSignal
}

export interface EpochClusters {
  /** Per view: K × dim centroids. */
  centroids: [Float32Array, Float32Array]
  /** Per view: each image's cluster label per feature cell. */
  labels: [Uint16Array[], Uint16Array[]]
  /** Per view: pixels per cluster. */
  counts: [Float64Array, Float64Array]
  /** Mean of the two views' k-means losses. */
  kmeansLoss: number
}

/** Cross-entropy class weights from cluster pixel counts (empty clusters get weight 0 under 'inverse'). */
export function clusterWeights(counts: Float64Array, weighting: ClusterWeighting): number[] {
  const total = counts.reduce((x, y) => x + y, 0)
  if (weighting === 'none') return Array.from(counts, () => 1)
  if (weighting === 'frequency') return Array.from(counts, (c) => c / total)
  const inverse = Array.from(counts, (c) => (c > 0 ? total / c : 0))
  const sum = inverse.reduce((x, y) => x + y, 0)
  return inverse.map((w) => w / sum)
}

function kMeansOf(s: ClusteringSetup): MiniBatchKMeans {
  return new MiniBatchKMeans({
    k: s.k,
    dim: s.dim,
    initBatches: s.initBatches,
    updateBatches: s.updateBatches,
    iterations: s.iterations,
    maxPointsPerCluster: s.maxPointsPerCluster || undefined,
    random: () => s.random.next(),
  })
}

/** Features of every pool image, batch by batch, in `plan` order, handed to `use` (then freed). */
async function eachFeatureBatch(
  s: ClusteringSetup,
  plan: number[][],
  features: (x: tf.Tensor4D, idx: number[]) => tf.Tensor4D,
  use: (f: Float32Array, idx: number[]) => void,
): Promise<void> {
  let at = 0
  for await (const b of readBatches(s.pool, plan)) {
    throwIfCancelled(s.signal)
    const idx = plan[at++]
    const x = batchImages(b, s.size)
    const step = Math.max(1, s.forwardImages)
    const parts: Float32Array[] = []
    for (let start = 0; start < idx.length; start += step) {
      const count = Math.min(step, idx.length - start)
      const f = tf.tidy(() =>
        features(count === idx.length ? x : x.slice(start, count), idx.slice(start, start + count)),
      )
      parts.push(f.dataSync() as Float32Array)
      f.dispose()
    }
    x.dispose()
    use(concatRows(parts), idx)
  }
}

/** Both views' centroids, labels and cluster sizes for one epoch, under that epoch's view draws. */
export async function clusterViews(s: ClusteringSetup, params: PicieViewParams[]): Promise<EpochClusters> {
  const n = s.pool.ids.length
  const cell = s.size / s.featureSide
  // A batch's features in one view, under each image's own draw of that view.
  const featuresOf = (view: 1 | 2) => (x: tf.Tensor4D, idx: number[]) =>
    viewFeatures(
      s.net,
      x,
      idx.map((i) => params[i]),
      view,
      cell,
    )
  const per = s.featureSide * s.featureSide
  const centroids: Float32Array[] = []
  const losses: number[] = []
  const labels: Uint16Array[][] = [[], []]
  const counts = [new Float64Array(s.k), new Float64Array(s.k)]
  try {
    for (const view of [1, 2] as const) {
      const km = kMeansOf(s)
      s.net.train(true)
      const plan = picieBatches(n, s.clusterBatchSize, s.random.shuffle([...Array(n).keys()]))
      await eachFeatureBatch(s, plan, featuresOf(view), (f) => km.addBatch(f))
      const r = km.finish()
      centroids.push(r.centroids)
      losses.push(r.loss)
    }
    s.net.train(false)
    for (const view of [1, 2] as const) {
      await eachFeatureBatch(s, picieBatches(n, s.clusterBatchSize), featuresOf(view), (f, idx) => {
        const a = assignClusters(f, s.dim, centroids[view - 1])
        // Uint16 per feature cell: a 120² map is 29 kB an image and view, small beside the pixels never held.
        idx.forEach(
          (i, j) => (labels[view - 1][i] = Uint16Array.from(a.labels.subarray(j * per, (j + 1) * per))),
        )
        for (let c = 0; c < s.k; c++) counts[view - 1][c] += a.counts[c]
      })
    }
  } finally {
    s.net.train(true)
  }
  return {
    centroids: [centroids[0], centroids[1]],
    labels: [labels[0], labels[1]],
    counts: [counts[0], counts[1]],
    kmeansLoss: (losses[0] + losses[1]) / 2,
  }
}

/**
 * Centroids from a fresh k-means over the untransformed training images, the net in train mode: what
 * the fork's scripts (--repeats 1) score the test split with after the last epoch (train_picie.py,
 * "Evaluate with fresh clusters", view −1 on the eval_val images, which are the training split).
 */
export async function freshCentroids(s: ClusteringSetup): Promise<{ centroids: Float32Array; loss: number }> {
  const n = s.pool.ids.length
  const km = kMeansOf(s)
  s.net.train(true)
  await eachFeatureBatch(
    s,
    picieBatches(n, s.clusterBatchSize, s.random.shuffle([...Array(n).keys()])),
    (x) => normalizeFeatures(s.net.forward(x)),
    (f) => km.addBatch(f),
  )
  return km.finish()
}
