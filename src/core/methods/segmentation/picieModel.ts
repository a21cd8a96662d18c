import * as tf from '@tensorflow/tfjs'
import type { TrainState } from '../../engine/trainState'
import { Module } from '../../models/nn/module'
import type { Preset } from '../method'
import { restoreNetState } from '../netState'
import { predictClasses } from './picieEvaluation'
import type { RestoredSegmenter } from './restoredSegmenter'
import type { NetFactory } from './segmentationNet'

/**
 * What PiCIE's model is beyond its backbone: the k centroids its pixels are labelled by (the frozen 1×1
 * classifier of PiCIE's `evaluate`) and the class Hungarian matching gave each cluster on the validation
 * split. Kept in the run's last checkpoint, so a finished run can predict images it never saw (the
 * labelling loop) exactly as it scored its test split.
 */
const CENTROIDS = 'classifier.centroids'
/** A k × classes one-hot matrix: row c is the class cluster c was matched to. */
const CLUSTER_TO_CLASS = 'classifier.clusterToClass'
const KMEANS_LOSS = 'classifier.kmeansLoss'

export interface PicieClassifier {
  centroids: Float32Array
  k: number
  dim: number
  /** Class of each cluster. */
  mapping: number[]
  classes: number
  kmeansLoss: number
}

export function picieClassifierState(c: PicieClassifier): TrainState {
  if (c.centroids.length !== c.k * c.dim)
    throw new Error(`PiCIE has ${c.k} centroids of ${c.dim}, not ${c.centroids.length} values`)
  if (c.mapping.length !== c.k) throw new Error(`PiCIE maps ${c.mapping.length} clusters, not ${c.k}`)
  const oneHot = new Float32Array(c.k * c.classes)
  c.mapping.forEach((cls, cluster) => (oneHot[cluster * c.classes + cls] = 1))
  return {
    [CENTROIDS]: { shape: [c.k, c.dim], values: c.centroids },
    [CLUSTER_TO_CLASS]: { shape: [c.k, c.classes], values: oneHot },
    [KMEANS_LOSS]: { shape: [1], values: Float32Array.of(c.kmeansLoss) },
  }
}

/** The classifier a checkpoint holds, or null when it holds none (a checkpoint from mid-training). */
export function readPicieClassifier(state: TrainState): PicieClassifier | null {
  const centroids = state[CENTROIDS]
  const toClass = state[CLUSTER_TO_CLASS]
  if (!centroids || !toClass) return null
  const [k, dim] = centroids.shape
  const [rows, classes] = toClass.shape
  if (rows !== k)
    throw new Error(`The checkpoint's PiCIE classifier maps ${rows} clusters but holds ${k} centroids`)
  const mapping = Array.from({ length: k }, (_, c) => {
    const row = toClass.values.subarray(c * classes, (c + 1) * classes)
    const cls = row.indexOf(1)
    if (cls < 0) throw new Error(`The checkpoint's PiCIE cluster ${c} has no class`)
    return cls
  })
  return {
    centroids: centroids.values,
    k,
    dim,
    mapping,
    classes,
    kmeansLoss: state[KMEANS_LOSS]?.values[0] ?? NaN,
  }
}

/**
 * A finished PiCIE run's model rebuilt from its checkpoint: the backbone's pixel features, each pixel's
 * softmax over the centroids, each class the sum of its clusters (picieEvaluation.ts `predictClasses`).
 * One network, so the labelling loop measures its entropy only.
 */
export function restorePicie(opts: {
  preset: Preset
  seed: number
  size: number
  redChannel: boolean
  backbone: string
  net: NetFactory
  state: TrainState
}): RestoredSegmenter {
  const c = readPicieClassifier(opts.state)
  if (!c)
    throw new Error(
      'This PiCIE run was trained before its clusters were kept with its model: train it again to predict with it',
    )
  const net = opts.net({
    preset: opts.preset,
    size: opts.size,
    classes: c.classes,
    seed: opts.seed,
    backbone: opts.backbone,
  })
  let classifier: tf.Tensor2D | null = null
  try {
    restoreNetState({ backbone: net }, opts.state)
    net.train(false)
    if (!(net instanceof Module)) throw new Error("PiCIE's backbone is not a module")
    const centroids = tf.tensor2d(c.centroids, [c.k, c.dim])
    classifier = centroids
    return {
      size: opts.size,
      redChannel: opts.redChannel,
      classes: c.classes,
      predict: (images) => predictClasses(net, centroids, c.mapping, c.classes, images),
      partner: null,
      sampled: { net, name: 'PiCIE backbone' },
      dispose: () => {
        net.dispose()
        centroids.dispose()
      },
    }
  } catch (e) {
    net.dispose()
    classifier?.dispose()
    throw e
  }
}
