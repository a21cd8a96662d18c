import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { Conv2d } from '../nn/conv2d'
import { LayerNorm } from '../nn/layerNorm'
import { Linear } from '../nn/linear'
import { torchDefault, truncNormal, zeros } from '../nn/init'
import { PatchMerging } from '../swin/patchMerging'
import { SwinTransformerBlock } from '../swin/swinBlock'
import { stochasticDepthRates, swinStage } from '../swin/swinTransformer'
import type { SwinConfig } from '../swin/swinConfig'
import { ModuleList } from '../nn/moduleList'
import { Lambda } from '../nn/sequential'
import { PatchExpand } from './patchExpand'
import { checkSwinUnetConfig } from './swinUnetConfig'
import type { SwinUnetConfig } from './swinUnetConfig'

/** What the methods read from a Swin-UNet. The caller disposes every tensor. */
export interface SwinUnetOutputs {
  /** Per-pixel class logits, NHWC [B, H, W, classes]. */
  logits: tf.Tensor4D
  /** Mean of the normalised bottleneck: [B, embedDim·2^(stages−1)]. */
  embedding: tf.Tensor2D
  /** The normalised bottleneck map: [B, H/(patch·2^(stages−1)), …, C]. */
  bottleneck: tf.Tensor4D
  /** The decoder's last map after norm_up, before the ×patch expansion: [B, H/patch, W/patch, embedDim]. */
  decoded: tf.Tensor4D
  /** Each encoder stage's input (what the decoder concatenates), finest first. */
  skips: tf.Tensor4D[]
}

class PatchEmbed extends Module {
  readonly proj: Conv2d
  readonly norm: LayerNorm

  constructor(c: SwinUnetConfig) {
    super()
    const fanIn = c.inChannels * c.patchSize * c.patchSize
    this.proj = this.addModule(
      'proj',
      new Conv2d(c.inChannels, c.embedDim, c.patchSize, {
        stride: c.patchSize,
        init: torchDefault(fanIn),
        biasInit: torchDefault(fanIn),
      }),
    )
    this.norm = this.addModule('norm', new LayerNorm(c.embedDim, c.layerNormEps))
  }

  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.norm.forward(this.proj.forward(x)) as tf.Tensor4D)
  }
}

/** One Swin-UNet stage: `blocks.j`, then an optional `downsample` (encoder) or `upsample` (decoder). */
class SwinUnetStage extends Module {
  readonly blocks: ModuleList<SwinTransformerBlock>
  readonly resample: PatchMerging | PatchExpand | null

  constructor(
    blocks: SwinTransformerBlock[],
    resample: { name: 'downsample' | 'upsample'; module: PatchMerging | PatchExpand } | null,
  ) {
    super()
    this.blocks = this.addModule('blocks', new ModuleList(blocks))
    this.resample = resample ? this.addModule(resample.name, resample.module) : null
  }

  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      let y: tf.Tensor = x
      for (const block of this.blocks.items) y = block.forward(y)
      return (this.resample ? this.resample.forward(y) : y) as tf.Tensor4D
    })
  }
}

/**
 * Swin-UNet (Cao et al.; the Swin-Unet/SSL4MIS `SwinTransformerSys` layout and state-dict names):
 * patch_embed, encoder `layers.i` (Swin blocks + patch merging), `norm`, decoder `layers_up.0`
 * (patch expand) and `layers_up.i` (skip concat → `concat_back_dim.i` linear → Swin blocks → patch
 * expand), `norm_up`, `up` (×patch expansion) and `output` (1×1 conv, no bias). NHWC throughout.
 */
export class SwinUnet extends Module {
  readonly config: SwinUnetConfig
  readonly patchEmbed: PatchEmbed
  readonly layers: ModuleList<SwinUnetStage>
  readonly layersUp: ModuleList<SwinUnetStage | PatchExpand>
  /** Index 0 is torch's parameterless nn.Identity: the bottleneck has no skip to merge. */
  readonly concatBackDim: ModuleList<Linear | Lambda>
  readonly norm: LayerNorm
  readonly normUp: LayerNorm
  readonly up: PatchExpand
  readonly output: Conv2d

  constructor(config: SwinUnetConfig) {
    super()
    checkSwinUnetConfig(config)
    const c = { ...config, depths: [...config.depths], numHeads: [...config.numHeads] }
    this.config = c
    const swin: SwinConfig = { ...c, stochasticDepthProb: c.dropPathRate, numClasses: 0 }
    const n = c.depths.length
    const rates = stochasticDepthRates(c.depths, c.dropPathRate)
    const stageRates = (i: number) => {
      const first = c.depths.slice(0, i).reduce((a, b) => a + b, 0)
      return rates.slice(first, first + c.depths[i])
    }
    const width = (i: number) => c.embedDim * 2 ** i

    this.patchEmbed = this.addModule('patch_embed', new PatchEmbed(c))
    const encoder: SwinUnetStage[] = []
    for (let i = 0; i < n; i++) {
      const merge =
        i < n - 1 ? { name: 'downsample' as const, module: new PatchMerging(width(i), c.layerNormEps) } : null
      encoder.push(new SwinUnetStage(swinStage(swin, i, stageRates(i), 'fc'), merge))
    }
    this.layers = this.addModule('layers', new ModuleList(encoder))
    const linear = (i: number, o: number) => new Linear(i, o, { init: truncNormal(0.02), biasInit: zeros })
    const decoder: (SwinUnetStage | PatchExpand)[] = [
      new PatchExpand(width(n - 1), 2, width(n - 1) / 2, c.layerNormEps),
    ]
    const merges: (Linear | Lambda)[] = [new Lambda((x) => x)]
    for (let i = 1; i < n; i++) {
      const k = n - 1 - i
      merges.push(linear(2 * width(k), width(k)))
      const expand =
        i < n - 1
          ? { name: 'upsample' as const, module: new PatchExpand(width(k), 2, width(k) / 2, c.layerNormEps) }
          : null
      decoder.push(new SwinUnetStage(swinStage(swin, k, stageRates(k), 'fc'), expand))
    }
    this.layersUp = this.addModule('layers_up', new ModuleList(decoder))
    this.concatBackDim = this.addModule('concat_back_dim', new ModuleList(merges))
    this.norm = this.addModule('norm', new LayerNorm(width(n - 1), c.layerNormEps))
    this.normUp = this.addModule('norm_up', new LayerNorm(c.embedDim, c.layerNormEps))
    this.up = this.addModule('up', new PatchExpand(c.embedDim, c.patchSize, c.embedDim, c.layerNormEps))
    this.output = this.addModule(
      'output',
      new Conv2d(c.embedDim, c.numClasses, 1, { bias: false, init: torchDefault(c.embedDim) }),
    )
  }

  /**
   * NHWC images [B, imageSize, imageSize, inChannels] → logits and the intermediate maps. A
   * one-channel batch is repeated to three channels for a three-channel model, as SSL4MIS does.
   */
  forwardParts(x: tf.Tensor): SwinUnetOutputs {
    const { imageSize, inChannels } = this.config
    const channels = x.shape[3]
    if (
      x.rank !== 4 ||
      x.shape[1] !== imageSize ||
      x.shape[2] !== imageSize ||
      (channels !== inChannels && !(channels === 1 && inChannels === 3))
    ) {
      throw new Error(
        `Swin-UNet expects NHWC input [B, ${imageSize}, ${imageSize}, ${inChannels}], got [${x.shape}]`,
      )
    }
    const n = this.config.depths.length
    // tidy keeps every tensor reachable from the returned object; the casts are only for its typing.
    return tf.tidy((): tf.TensorContainer => {
      let y: tf.Tensor = this.patchEmbed.forward(channels === inChannels ? x : tf.tile(x, [1, 1, 1, 3]))
      const skips: tf.Tensor4D[] = []
      for (const stage of this.layers.items) {
        skips.push(y as tf.Tensor4D)
        y = stage.forward(y)
      }
      const bottleneck = this.norm.forward(y) as tf.Tensor4D
      y = bottleneck
      for (let i = 0; i < n; i++) {
        if (i > 0) y = this.concatBackDim.items[i].forward(tf.concat([y, skips[n - 1 - i]], 3))
        y = this.layersUp.items[i].forward(y)
      }
      const decoded = this.normUp.forward(y) as tf.Tensor4D
      const logits = this.output.forward(this.up.forward(decoded))
      const embedding = tf.mean(bottleneck, [1, 2]) as tf.Tensor2D
      return { logits, embedding, bottleneck, decoded, skips } as unknown as tf.TensorContainer
    }) as unknown as SwinUnetOutputs
  }

  /** Per-pixel logits, NHWC [B, H, W, classes]. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.forwardParts(x).logits)
  }
}
