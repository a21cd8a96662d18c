import * as tf from '@tensorflow/tfjs'
import { Module, TensorSlot } from '../nn/module'
import { Conv2d } from '../nn/conv2d'
import { Dropout } from '../nn/dropout'
import { LayerNorm } from '../nn/layerNorm'
import { Linear } from '../nn/linear'
import { normal, truncNormal, zeros } from '../nn/init'
import { resizeBilinear } from '../nn/resize'
import { EncoderBlock } from './encoderBlock'
import { checkVitConfig } from './vitConfig'
import type { VitConfig } from './vitConfig'

/**
 * What the methods read from a ViT: the class-token embedding (DINO/CASS heads) and the patch-token
 * map. The caller disposes them.
 */
export interface VitOutputs {
  /** [B, classes], or null when built without a head. */
  logits: tf.Tensor2D | null
  /** The class token after the final LayerNorm: [B, hiddenDim]. */
  embedding: tf.Tensor2D
  /** Patch tokens after the final LayerNorm as a spatial map: [B, H/patch, W/patch, hiddenDim]. */
  tokens: tf.Tensor4D
}

class EncoderLayers extends Module {
  readonly blocks: EncoderBlock[] = []

  constructor(config: VitConfig) {
    super()
    for (let i = 0; i < config.numLayers; i++) {
      // Stochastic depth rises linearly over depth, as timm's and DINO's ViTs do.
      const dropPath =
        config.numLayers > 1 ? (config.dropPathRate * i) / (config.numLayers - 1) : config.dropPathRate
      const block = new EncoderBlock({ ...config, dropPath, layerNormEps: config.layerNormEps })
      this.blocks.push(this.addModule(`encoder_layer_${i}`, block))
    }
  }
}

class VitEncoder extends Module {
  readonly posEmbedding: TensorSlot
  readonly dropout: Dropout
  readonly layers: EncoderLayers
  readonly ln: LayerNorm

  constructor(config: VitConfig, seqLength: number) {
    super()
    this.posEmbedding = this.addTensor('pos_embedding', [1, seqLength, config.hiddenDim], normal(0.02))
    this.dropout = this.addModule('dropout', new Dropout(config.dropout))
    this.layers = this.addModule('layers', new EncoderLayers(config))
    this.ln = this.addModule('ln', new LayerNorm(config.hiddenDim, config.layerNormEps))
  }

  /** Tokens [B, 1 + gh·gw, D] of a gh×gw patch grid (the class token first). */
  forward(x: tf.Tensor, gridHeight: number, gridWidth: number): tf.Tensor3D {
    return tf.tidy(() => {
      let y = this.dropout.forward(tf.add(x, this.positions(gridHeight, gridWidth)))
      for (const block of this.layers.blocks) y = block.forward(y)
      return this.ln.forward(y) as tf.Tensor3D
    })
  }

  /**
   * The position embedding, its patch grid resampled (bilinear, differentiable) when the input grid
   * differs from the trained one: how DINO feeds 96-px local crops to a 224-px ViT (DINO resamples
   * bicubically; torchvision's ViT accepts only its own size).
   */
  private positions(gridHeight: number, gridWidth: number): tf.Tensor {
    const [, tokens, dim] = this.posEmbedding.shape
    const g = Math.round(Math.sqrt(tokens - 1))
    const pos = this.posEmbedding.value
    if (gridHeight === g && gridWidth === g) return pos
    const cls = tf.slice(pos, [0, 0, 0], [1, 1, dim])
    const grid = tf.reshape(tf.slice(pos, [0, 1, 0], [1, tokens - 1, dim]), [1, g, g, dim])
    const resized = tf.reshape(resizeBilinear(grid, [gridHeight, gridWidth]), [
      1,
      gridHeight * gridWidth,
      dim,
    ])
    return tf.concat([cls, resized], 1)
  }
}

class Heads extends Module {
  readonly head: Linear
  constructor(hiddenDim: number, numClasses: number) {
    super()
    // torchvision zero-initialises the classifier.
    this.head = this.addModule('head', new Linear(hiddenDim, numClasses, { init: zeros, biasInit: zeros }))
  }
}

/**
 * torchvision's VisionTransformer (ViT-B/16 and smaller), NHWC input, with torchvision's
 * state-dict names: conv_proj, class_token, encoder.pos_embedding,
 * encoder.layers.encoder_layer_N.{ln_1,self_attention,ln_2,mlp}, encoder.ln, heads.head.
 */
export class VisionTransformer extends Module {
  readonly config: VitConfig
  readonly gridSize: number
  readonly convProj: Conv2d
  readonly classToken: TensorSlot
  readonly encoder: VitEncoder
  readonly heads: Heads | null

  constructor(config: VitConfig) {
    super()
    checkVitConfig(config)
    this.config = { ...config }
    const { hiddenDim, patchSize, inChannels } = config
    this.gridSize = config.imageSize / patchSize
    const fanIn = inChannels * patchSize * patchSize
    this.convProj = this.addModule(
      'conv_proj',
      new Conv2d(inChannels, hiddenDim, patchSize, {
        stride: patchSize,
        init: truncNormal(Math.sqrt(1 / fanIn)),
        biasInit: zeros,
      }),
    )
    this.classToken = this.addTensor('class_token', [1, 1, hiddenDim], zeros)
    this.encoder = this.addModule('encoder', new VitEncoder(config, this.gridSize * this.gridSize + 1))
    this.heads =
      config.numClasses > 0 ? this.addModule('heads', new Heads(hiddenDim, config.numClasses)) : null
  }

  /**
   * NHWC images [B, H, W, inChannels] → logits, embedding and patch-token map. H and W are normally
   * imageSize; other multiples of the patch size (e.g. DINO's local crops) use a resampled position grid.
   */
  forwardParts(x: tf.Tensor): VitOutputs {
    const { patchSize, inChannels, hiddenDim } = this.config
    const [, height, width, channels] = x.shape
    if (x.rank !== 4 || channels !== inChannels || height % patchSize !== 0 || width % patchSize !== 0) {
      throw new Error(
        `ViT expects NHWC input [B, H, W, ${inChannels}] with H and W multiples of ${patchSize}, got [${x.shape}]`,
      )
    }
    const gh = height / patchSize
    const gw = width / patchSize
    // tidy keeps every tensor reachable from the returned object; the cast is only for its typing.
    return tf.tidy((): tf.TensorContainer => {
      const b = x.shape[0]
      const patches = tf.reshape(this.convProj.forward(x), [b, gh * gw, hiddenDim])
      const cls = tf.tile(this.classToken.value, [b, 1, 1])
      const encoded = this.encoder.forward(tf.concat([cls, patches], 1), gh, gw)
      const embedding = tf.reshape(tf.slice(encoded, [0, 0, 0], [b, 1, hiddenDim]), [
        b,
        hiddenDim,
      ]) as tf.Tensor2D
      const tokens = tf.reshape(tf.slice(encoded, [0, 1, 0], [b, gh * gw, hiddenDim]), [
        b,
        gh,
        gw,
        hiddenDim,
      ]) as tf.Tensor4D
      const logits = this.heads ? (this.heads.head.forward(embedding) as tf.Tensor2D) : null
      return { logits, embedding, tokens } as unknown as tf.TensorContainer
    }) as unknown as VitOutputs
  }

  /** Logits, or the embedding when the model has no head. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const { logits, embedding } = this.forwardParts(x)
      return logits ?? embedding
    })
  }
}
