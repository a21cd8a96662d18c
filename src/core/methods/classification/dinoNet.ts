import * as tf from '@tensorflow/tfjs'
import { Module } from '../../models/nn/module'
import type { ResNet } from '../../models/resnet/resnet'
import type { VisionTransformer } from '../../models/vit/visionTransformer'
import { DinoHead, type DinoHeadConfig } from './dinoHead'
import type { Hyper } from '../method'
import { buildSeeded } from '../../models/nn/module'
import { buildBackbone, embed, embeddingSize, type SslBackboneName } from './sslBackbone'

/**
 * A backbone with DINO's head on its embedding (facebookresearch/dino utils.MultiCropWrapper): the
 * student and the teacher are two of these. Crops of one size run through the backbone together;
 * the outputs come back in the order the groups were given.
 */
export class DinoNet extends Module {
  readonly backbone: ResNet | VisionTransformer
  readonly head: DinoHead

  constructor(backbone: ResNet | VisionTransformer, head: DinoHeadConfig) {
    super()
    this.backbone = this.addModule('backbone', backbone)
    this.head = this.addModule('head', new DinoHead(head))
  }

  forward(groups: readonly tf.Tensor4D[]): tf.Tensor2D {
    return tf.tidy(() => {
      const outs = groups.map((g) => this.head.forward(embed(this.backbone, g)))
      return outs.length === 1 ? outs[0] : (tf.concat(outs) as tf.Tensor2D)
    })
  }
}

/** A student or teacher for a run's hyperparameters (head sizes and norm); the head's weights follow the seed too. */
export function buildDinoNet(
  name: SslBackboneName,
  h: Hyper,
  imageSize: number,
  dropPathRate: number,
  seed: number,
): DinoNet {
  const backbone = buildBackbone(name, { imageSize, headClasses: 0, dropPathRate, seed })
  return buildSeeded(
    seed + 7919,
    () =>
      new DinoNet(backbone, {
        inDim: embeddingSize(backbone),
        outDim: Number(h.outDim),
        hiddenDim: Number(h.headHidden),
        bottleneckDim: Number(h.headBottleneck),
        layers: Number(h.headLayers),
        normLastLayer: Boolean(h.normLastLayer),
      }),
  )
}
