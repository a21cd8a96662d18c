import * as tf from '@tensorflow/tfjs'
import type { Preset } from '../method'
import { scoreSplit, type SplitScores } from '../../eval/segmentationScores'
import { gatherImages, setCount, splitMasks, type SegmentationSet } from './segmentationData'

/**
 * What the methods need of a network: the models' Module (forward, parameters, train/eval mode)
 * fits as is. Segmentation nets map [N, H, W, 3] to logits [N, H, W, classes]; PiCIE's backbone
 * maps it to a feature map [N, h, w, dim].
 */
export interface SegmentationNet {
  forward(x: tf.Tensor): tf.Tensor
  parameters(): tf.Variable[]
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
}

/** Builds a freshly initialised net for a run. */
export type NetFactory = (spec: NetSpec) => SegmentationNet

/** Softmax probabilities of a net in eval mode, batch by batch. */
export function predictProbabilities(net: SegmentationNet, images: tf.Tensor4D): tf.Tensor4D {
  net.train(false)
  try {
    return tf.tidy(() => tf.softmax(net.forward(images)) as tf.Tensor4D)
  } finally {
    net.train(true)
  }
}

/** Argmax masks of a whole set, one Uint8Array per image. */
export function predictMasks(
  net: SegmentationNet,
  set: SegmentationSet,
  size: number,
  batchSize = 8,
): Uint8Array[] {
  const n = setCount(set, size)
  const out: Uint8Array[] = []
  for (let start = 0; start < n; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, k) => start + k)
    const labels = tf.tidy(() => {
      const x = gatherImages(set, size, idx)
      const p = predictProbabilities(net, x)
      return tf.argMax(p, -1)
    })
    const flat = labels.dataSync()
    labels.dispose()
    for (let k = 0; k < idx.length; k++)
      out.push(Uint8Array.from(flat.subarray(k * size * size, (k + 1) * size * size)))
  }
  return out
}

export function scoreNet(
  net: SegmentationNet,
  set: SegmentationSet,
  size: number,
  name = 'test',
): SplitScores {
  return scoreSplit(predictMasks(net, set, size), splitMasks(set, size, name))
}
