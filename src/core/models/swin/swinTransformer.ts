import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import type { TensorModule } from '../nn/module'
import { Conv2d } from '../nn/conv2d'
import { LayerNorm } from '../nn/layerNorm'
import { Linear } from '../nn/linear'
import { Lambda, Sequential } from '../nn/sequential'
import { torchDefault, truncNormal, zeros } from '../nn/init'
import { SwinTransformerBlock } from './swinBlock'
import type { SwinMlpNames } from './swinBlock'
import { PatchMerging } from './patchMerging'
import { checkSwinConfig } from './swinConfig'
import type { SwinConfig } from './swinConfig'

/** What the methods read from a Swin: the pooled embedding, the final map and each stage's map. The caller disposes them. */
export interface SwinOutputs {
  /** [B, classes], or null when built without a head. */
  logits: tf.Tensor2D | null
  /** Mean over the final normalised map: [B, embedDim·2^(stages−1)]. */
  embedding: tf.Tensor2D
  /** The final map after `norm`: [B, H/(patch·2^(stages−1)), …, C]. */
  features: tf.Tensor4D
  /** Output of each stage's blocks (before patch merging), finest first: the skips a decoder wants. */
  stages: tf.Tensor4D[]
}

/** Per-block stochastic depth of torchvision: rate·k/(blocks−1) for block k counted over all stages. */
export function stochasticDepthRates(depths: number[], rate: number): number[] {
  const total = depths.reduce((a, b) => a + b, 0)
  return Array.from({ length: total }, (_, k) => (total > 1 ? (rate * k) / (total - 1) : 0))
}

/** The patch embedding: Conv2d(k = s = patch), torchvision's Permute (a no-op in NHWC), LayerNorm. */
export function patchEmbedding(config: SwinConfig): Sequential {
  const fanIn = config.inChannels * config.patchSize * config.patchSize
  const conv = new Conv2d(config.inChannels, config.embedDim, config.patchSize, {
    stride: config.patchSize,
    init: torchDefault(fanIn),
    biasInit: torchDefault(fanIn),
  })
  return new Sequential([conv, new Lambda((x) => x), new LayerNorm(config.embedDim, config.layerNormEps)])
}

/** One stage's blocks: even blocks use plain windows, odd blocks windows shifted by ⌊window/2⌋. */
export function swinStage(
  config: SwinConfig,
  stage: number,
  rates: number[],
  mlpNames: SwinMlpNames,
): SwinTransformerBlock[] {
  const dim = config.embedDim * 2 ** stage
  return rates.map(
    (stochasticDepthProb, j) =>
      new SwinTransformerBlock({
        dim,
        numHeads: config.numHeads[stage],
        windowSize: config.windowSize,
        shiftSize: j % 2 === 0 ? 0 : Math.floor(config.windowSize / 2),
        mlpRatio: config.mlpRatio,
        dropout: config.dropout,
        stochasticDepthProb,
        layerNormEps: config.layerNormEps,
        mlpNames,
      }),
  )
}

/**
 * torchvision's SwinTransformer (v1; swin_t and smaller) on NHWC input, with its state-dict names:
 * features.0.{0,2} (patch conv, LayerNorm), features.(2i+1).j (stage i blocks),
 * features.(2i+2) (patch merging), norm, head.
 */
export class SwinTransformer extends Module {
  readonly config: SwinConfig
  readonly features: Sequential
  readonly norm: LayerNorm
  readonly head: Linear | null
  readonly numFeatures: number

  constructor(config: SwinConfig) {
    super()
    checkSwinConfig(config)
    this.config = { ...config, depths: [...config.depths], numHeads: [...config.numHeads] }
    const rates = stochasticDepthRates(config.depths, config.stochasticDepthProb)
    const layers: TensorModule[] = [patchEmbedding(config)]
    let first = 0
    config.depths.forEach((depth, i) => {
      layers.push(new Sequential(swinStage(config, i, rates.slice(first, first + depth), 'torchvision')))
      first += depth
      if (i < config.depths.length - 1)
        layers.push(new PatchMerging(config.embedDim * 2 ** i, config.layerNormEps))
    })
    this.features = this.addModule('features', new Sequential(layers))
    this.numFeatures = config.embedDim * 2 ** (config.depths.length - 1)
    this.norm = this.addModule('norm', new LayerNorm(this.numFeatures, config.layerNormEps))
    this.head =
      config.numClasses > 0
        ? this.addModule(
            'head',
            new Linear(this.numFeatures, config.numClasses, { init: truncNormal(0.02), biasInit: zeros }),
          )
        : null
  }

  /** NHWC images [B, H, W, inChannels] → logits, pooled embedding, final map and stage maps. */
  forwardParts(x: tf.Tensor): SwinOutputs {
    const { inChannels } = this.config
    if (x.rank !== 4 || x.shape[3] !== inChannels) {
      throw new Error(`Swin expects NHWC input with ${inChannels} channels, got [${x.shape}]`)
    }
    // tidy keeps every tensor reachable from the returned object; the casts are only for its typing.
    return tf.tidy((): tf.TensorContainer => {
      const stages: tf.Tensor4D[] = []
      let y: tf.Tensor = x
      this.features.layers.forEach((layer, i) => {
        y = layer.forward(y)
        if (i % 2 === 1) stages.push(y as tf.Tensor4D)
      })
      const features = this.norm.forward(y) as tf.Tensor4D
      const embedding = tf.mean(features, [1, 2]) as tf.Tensor2D
      const logits = this.head ? (this.head.forward(embedding) as tf.Tensor2D) : null
      return { logits, embedding, features, stages } as unknown as tf.TensorContainer
    }) as unknown as SwinOutputs
  }

  /** Logits, or the pooled embedding when the model has no head. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const { logits, embedding } = this.forwardParts(x)
      return logits ?? embedding
    })
  }
}
