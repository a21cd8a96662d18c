import * as tf from '@tensorflow/tfjs'
import { Module } from '../../models/nn/module'
import type { ResNet } from '../../models/resnet/resnet'
import type { VisionTransformer } from '../../models/vit/visionTransformer'
import { DinoHead, type DinoHeadConfig } from './dinoHead'
import { embed } from './sslBackbone'

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
