import * as tf from '@tensorflow/tfjs'
import type { TrainState } from '../../engine/trainState'
import { Module } from '../../models/nn/module'
import type { Preset } from '../method'
import { restoreNetState } from '../netState'
import { predictProbabilities, type NetFactory, type SegmentationNet } from './segmentationNet'

/** A network of a run, its weights from the run's checkpoint, and what people call it. */
export interface RunNet {
  net: NetFactory
  weights: TrainState
  /** 'U-Net', 'Swin-UNet': for messages. */
  name: string
}

/**
 * A finished segmentation run's model built again from its checkpoint, to predict images the run never saw
 * (the labelling loop): the network it reports (its best-validation weights when kept) and, for cross
 * teaching, its partner network, whose disagreement with the first is an uncertainty signal.
 */
export interface RestoredSegmenter {
  size: number
  redChannel: boolean
  classes: number
  /** The reported network's class probabilities [N, H, W, C] of preprocessed images. */
  predict(images: tf.Tensor4D): tf.Tensor4D
  /** The partner network's probabilities (cross teaching's Swin-UNet); null when the run has one network. */
  partner: ((images: tf.Tensor4D) => tf.Tensor4D) | null
  /** The network Monte Carlo dropout samples: the partner when there is one (the Swin-UNet has drop path). */
  sampled: { net: Module & SegmentationNet; name: string }
  dispose(): void
}

/**
 * How many classes a U-Net's weights predict (background and its mask classes), read from its segmentation
 * head's bias: the weights, not today's project, decide the network's shape.
 */
export function outputClasses(weights: TrainState): number {
  const bias = weights['segmentation_head.0.bias']
  if (!bias || bias.shape.length !== 1) throw new Error("The model's weights hold no segmentation head")
  return bias.shape[0]
}

export function restoreSegmenter(opts: {
  preset: Preset
  seed: number
  size: number
  redChannel: boolean
  reported: RunNet
  partner?: RunNet
}): RestoredSegmenter {
  const classes = outputClasses(opts.reported.weights)
  const built: SegmentationNet[] = []
  const build = (n: RunNet) => {
    const net = n.net({ preset: opts.preset, size: opts.size, classes, seed: opts.seed })
    built.push(net)
    restoreNetState({ net }, Object.fromEntries(Object.entries(n.weights).map(([k, v]) => [`net.${k}`, v])))
    net.train(false)
    return net
  }
  try {
    const main = build(opts.reported)
    const partner = opts.partner ? build(opts.partner) : null
    const sampled = partner ?? main
    if (!(sampled instanceof Module)) throw new Error(`The ${opts.reported.name} is not a module`)
    return {
      size: opts.size,
      redChannel: opts.redChannel,
      classes,
      predict: (images) => predictProbabilities(main, images),
      partner: partner && ((images) => predictProbabilities(partner, images)),
      sampled: { net: sampled as Module & SegmentationNet, name: (opts.partner ?? opts.reported).name },
      dispose: () => built.forEach((n) => n.dispose()),
    }
  } catch (e) {
    built.forEach((n) => n.dispose())
    throw e
  }
}
