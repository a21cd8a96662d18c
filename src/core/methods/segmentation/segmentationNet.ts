import * as tf from '@tensorflow/tfjs'
import {
  loadedImagenetWeights,
  type ImagenetWeights,
  type ImagenetWeightsLookup,
  type Preset,
} from '../method'
import type { PretrainedArchitecture } from '../../models/pretrained/pretrainedArchitectures'
import { inOrder } from '../../data/inOrder'
import { splitScorer, type SplitScores } from '../../eval/segmentationScores'
import { batchImages, readBatches, type SegmentationData, type SegmentationSet } from './segmentationData'

/**
 * What the methods need of a network: the models' Module (forward, parameters, train/eval mode)
 * fits as is. Segmentation nets map [N, H, W, 3] to logits [N, H, W, classes]; PiCIE's backbone
 * maps it to a feature map [N, h, w, dim].
 */
export interface SegmentationNet {
  forward(x: tf.Tensor): tf.Tensor
  parameters(): tf.Variable[]
  /** Number of parameter scalars: what the memory plan (segmentationMemoryPlan.ts) counts. */
  parameterCount(): number
  /** Parameters and buffers (BatchNorm statistics) by stable name, for checkpoints. */
  stateDict(): Map<string, { value: tf.Variable; assign(t: tf.Tensor): void }>
  train(mode?: boolean): unknown
  dispose(): void
}

export interface NetSpec {
  preset: Preset
  /** Input side in pixels. */
  size: number
  classes: number
  /** Makes the initial weights reproducible. */
  seed: number
  /** The encoder a method lets the user choose (PiCIE: 'resnet18', 'resnet34' or 'tiny'). */
  backbone?: string
  /**
   * The ImageNet weights fetched for the net (buildNet), null when none were imported (the net starts
   * random, and says so); absent: not asked for (the quick preset, a net restored from a checkpoint).
   */
  imagenet?: ImagenetWeights | null
}

/** Builds a freshly initialised net for a run. */
export type NetFactory = ((spec: NetSpec) => SegmentationNet) & {
  /** The ImageNet weights the net starts from for this spec, if any: fetched before it is built. */
  imagenet?(spec: NetSpec): PretrainedArchitecture['id'] | null
}

/**
 * A run's net: its ImageNet weights fetched first (a trainer asks its host, `lookup`, and never reads a
 * file itself), then built; without a lookup the net starts random, as when none are imported.
 */
export async function buildNet(
  factory: NetFactory,
  spec: NetSpec,
  lookup: ImagenetWeightsLookup | undefined,
): Promise<SegmentationNet> {
  const architecture = factory.imagenet?.(spec)
  if (!architecture) return factory(spec)
  return factory({ ...spec, imagenet: await loadedImagenetWeights(lookup, architecture) })
}

/** Softmax probabilities of a net in eval mode, batch by batch. */
export function predictProbabilities(net: SegmentationNet, images: tf.Tensor4D): tf.Tensor4D {
  net.train(false)
  try {
    return tf.tidy(() => tf.softmax(net.forward(images)) as tf.Tensor4D)
  } finally {
    net.train(true)
  }
}

/** Argmax class maps of a batch of preprocessed images, one Uint8Array of size × size per image. */
export function predictedMasks(net: SegmentationNet, images: tf.Tensor4D): Uint8Array[] {
  const [n, h, w] = images.shape
  const labels = tf.tidy(() => tf.argMax(predictProbabilities(net, images), -1))
  const flat = labels.dataSync()
  labels.dispose()
  return Array.from({ length: n }, (_, k) => Uint8Array.from(flat.subarray(k * h * w, (k + 1) * h * w)))
}

/**
 * Scores a net on a set read batch by batch (the set is never held whole), over the data's classes
 * (foreground vs background for a binary project, each mask class otherwise).
 */
export async function scoreNet(
  net: SegmentationNet,
  set: SegmentationSet,
  data: Pick<SegmentationData, 'size' | 'classes'>,
  name = 'test',
  batchSize = 8,
): Promise<SplitScores> {
  const { size } = data
  const scorer = splitScorer(data.classes)
  for await (const b of readBatches(set, inOrder(set.ids.length, batchSize))) {
    if (!b.masks) throw new Error(`The ${name} images carry no masks`)
    const x = batchImages(b, size)
    const preds = predictedMasks(net, x)
    x.dispose()
    preds.forEach((p, k) => scorer.add(p, b.masks!.subarray(k * size * size, (k + 1) * size * size)))
  }
  return scorer.result()
}
