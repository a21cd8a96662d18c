import * as tf from '@tensorflow/tfjs'
import { Module, TensorSlot } from '../../models/nn/module'
import { Linear } from '../../models/nn/linear'
import { Lambda, Sequential } from '../../models/nn/sequential'
import { constant, truncNormal, zeros } from '../../models/nn/init'
import { gelu } from '../../models/vit/gelu'
import { euclideanNorm, l2Normalize } from '../../models/nn/euclideanNorm'

/**
 * DINO's projection head (facebookresearch/dino vision_transformer.py `DINOHead`): an MLP
 * (in → hidden → hidden → bottleneck, GELU between, weights trunc-normal σ 0.02, biases 0), the
 * bottleneck output L2-normalised, then a weight-normalised linear layer without bias to `outDim`
 * prototypes: W = g · V / ‖V‖ per output (torch `weight_norm`, names `last_layer.weight_g` and
 * `last_layer.weight_v`). With `normLastLayer` (DINO's default) g is fixed at 1, so every prototype
 * has unit length.
 *
 * The lucidrains variant S4MI ran differs (an MLP of hidden 256 with an L2 norm then a plain linear);
 * both presets use this head, sized by the preset.
 */

export interface DinoHeadConfig {
  inDim: number
  outDim: number
  hiddenDim: number
  bottleneckDim: number
  /** MLP layers before the bottleneck output (DINO: 3). */
  layers: number
  normLastLayer: boolean
}

/** DINO's defaults: 3 layers, hidden 2048, bottleneck 256, 65 536 prototypes, g frozen at 1. */
export function officialDinoHead(inDim: number): DinoHeadConfig {
  return { inDim, outDim: 65_536, hiddenDim: 2048, bottleneckDim: 256, layers: 3, normLastLayer: true }
}

class WeightNormLinear extends Module {
  readonly weightG: TensorSlot
  readonly weightV: TensorSlot

  constructor(inDim: number, outDim: number, trainableG: boolean) {
    super()
    // torch weight_norm on a Linear [out, in]: g is [out, 1] (stored here as [1, out]), V as the weight.
    this.weightG = this.addTensor('weight_g', [1, outDim], constant(1), { layout: 'linear' })
    this.weightV = this.addTensor('weight_v', [inDim, outDim], truncNormal(0.02), { layout: 'linear' })
    if (!trainableG && this.weightG.built) this.weightG.value.trainable = false
  }

  /** The effective weight [in, out]: each column V_j scaled to length g_j. */
  weight(): tf.Tensor2D {
    return tf.tidy(() => {
      const v = this.weightV.value
      return tf.mul(tf.div(v, euclideanNorm(v, 0, true)), this.weightG.value) as tf.Tensor2D
    })
  }

  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.matMul(x, this.weight()))
  }
}

export class DinoHead extends Module {
  readonly mlp: Sequential
  readonly lastLayer: WeightNormLinear

  constructor(readonly config: DinoHeadConfig) {
    super()
    const { inDim, hiddenDim, bottleneckDim, layers, outDim } = config
    if (!Number.isInteger(layers) || layers < 1) throw new Error(`DINO head needs ≥ 1 layer, got ${layers}`)
    const linear = (a: number, b: number) => new Linear(a, b, { init: truncNormal(0.02), biasInit: zeros })
    const parts =
      layers === 1
        ? [linear(inDim, bottleneckDim)]
        : [
            linear(inDim, hiddenDim),
            new Lambda(gelu),
            ...Array.from({ length: layers - 2 }, () => [
              linear(hiddenDim, hiddenDim),
              new Lambda(gelu),
            ]).flat(),
            linear(hiddenDim, bottleneckDim),
          ]
    this.mlp = this.addModule('mlp', new Sequential(parts))
    this.lastLayer = this.addModule(
      'last_layer',
      new WeightNormLinear(bottleneckDim, outDim, !config.normLastLayer),
    )
  }

  /** Backbone embeddings [N, inDim] → prototype scores [N, outDim]. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const z = this.mlp.forward(x) as tf.Tensor2D
      return this.lastLayer.forward(l2Normalize(z))
    })
  }

  /** The last layer's trainable tensors: DINO cancels their gradients during the first epoch(s). */
  lastLayerParameters(): tf.Variable[] {
    return this.lastLayer.parameters()
  }
}
