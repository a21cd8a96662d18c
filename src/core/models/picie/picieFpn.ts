import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { Conv2d } from '../nn/conv2d'
import { torchDefault } from '../nn/init'
import { resizeBilinear } from '../nn/resize'
import { ResNet } from '../resnet/resnet'
import type { PicieFpnConfig } from './picieFpnConfig'

/** PiCIE's FPNDecoder: `layer1` reads the deepest stage (res5), `layer4` the shallowest (res2). */
export class PicieFpnDecoder extends Module {
  readonly layer1: Conv2d
  readonly layer2: Conv2d
  readonly layer3: Conv2d
  readonly layer4: Conv2d

  /** @param stageChannels channels of res2..res5 (ResNet layer1..layer4) */
  constructor(stageChannels: [number, number, number, number], outDim: number) {
    super()
    const lateral = (cin: number) =>
      new Conv2d(cin, outDim, 1, { init: torchDefault(cin), biasInit: torchDefault(cin) })
    this.layer4 = this.addModule('layer4', lateral(stageChannels[0]))
    this.layer3 = this.addModule('layer3', lateral(stageChannels[1]))
    this.layer2 = this.addModule('layer2', lateral(stageChannels[2]))
    this.layer1 = this.addModule('layer1', lateral(stageChannels[3]))
  }

  forward(res2: tf.Tensor, res3: tf.Tensor, res4: tf.Tensor, res5: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      // Bilinear (align_corners=False) resize to the finer map, then add its lateral projection.
      const upAdd = (coarse: tf.Tensor, fine: tf.Tensor) =>
        tf.add(resizeBilinear(coarse, [fine.shape[1]!, fine.shape[2]!], false), fine)
      const o1 = this.layer1.forward(res5)
      const o2 = upAdd(o1, this.layer2.forward(res4))
      const o3 = upAdd(o2, this.layer3.forward(res3))
      return upAdd(o3, this.layer4.forward(res2)) as tf.Tensor4D
    })
  }
}

/**
 * PiCIE's pixel-feature network (PanopticFPN): names `backbone.*` (torchvision ResNet) and
 * `decoder.layer1..4`. Input NHWC; output [N, H/4, W/4, outDim] features at stride 4.
 */
export class PicieFpn extends Module {
  readonly backbone: ResNet
  readonly decoder: PicieFpnDecoder

  constructor(readonly config: PicieFpnConfig) {
    super()
    if (config.backbone.numClasses !== null)
      throw new Error('the PiCIE backbone is built without fc: set numClasses null')
    this.backbone = this.addModule('backbone', new ResNet(config.backbone))
    this.decoder = this.addModule('decoder', new PicieFpnDecoder(this.backbone.stageChannels, config.outDim))
  }

  /** Raw FPN features [N, H/4, W/4, outDim] (what PiCIE's model returns). */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const f = this.backbone.features(x)
      return this.decoder.forward(f.layer1, f.layer2, f.layer3, f.layer4)
    })
  }

  /** Features L2-normalised per pixel (F.normalize(dim=1)), as PiCIE clusters and classifies them. */
  pixelEmbeddings(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const f = this.forward(x)
      // torch F.normalize: x / max(‖x‖, 1e-12)
      const norm = tf.maximum(tf.sqrt(tf.sum(tf.square(f), -1, true)), 1e-12)
      return tf.div(f, norm) as tf.Tensor4D
    })
  }
}
