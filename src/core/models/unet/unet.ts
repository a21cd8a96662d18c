import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { Conv2d } from '../nn/conv2d'
import { Sequential } from '../nn/sequential'
import { xavierUniform, zeros } from '../nn/init'
import { ResNet } from '../resnet/resnet'
import { UnetDecoder } from './unetDecoder'
import type { UnetConfig } from './unetConfig'

/**
 * U-Net with a ResNet encoder, tensor names as segmentation_models_pytorch's `Unet`
 * (`encoder.*` torchvision names, `decoder.blocks.N.convK.{0,1}.*`, `segmentation_head.0.*`), so
 * torchvision ImageNet weights load into `encoder` and smp checkpoints load whole. Input NHWC with
 * sides divisible by 32; output per-pixel logits [N, H, W, classes].
 */
export class Unet extends Module {
  readonly encoder: ResNet
  readonly decoder: UnetDecoder
  readonly segmentationHead: Sequential

  constructor(readonly config: UnetConfig) {
    super()
    if (config.encoder.numClasses !== null)
      throw new Error('a U-Net encoder is built without fc: set numClasses null')
    this.encoder = this.addModule('encoder', new ResNet(config.encoder))
    const encoderChannels = [config.encoder.stemWidth, ...this.encoder.stageChannels]
    this.decoder = this.addModule('decoder', new UnetDecoder(encoderChannels, config.decoderChannels))
    const last = config.decoderChannels[4]
    this.segmentationHead = this.addModule(
      'segmentation_head',
      new Sequential([
        new Conv2d(last, config.classes, 3, {
          padding: 1,
          init: xavierUniform(last * 9, config.classes * 9),
          biasInit: zeros,
        }),
      ]),
    )
  }

  /** Decoder output before the head [N, H, W, decoderChannels[4]]: per-pixel features. */
  decode(x: tf.Tensor): tf.Tensor4D {
    const [, h, w] = x.shape
    if (x.rank !== 4 || h % 32 !== 0 || w % 32 !== 0) {
      throw new Error(`U-Net input must be NHWC with height and width divisible by 32, got [${x.shape}]`)
    }
    return tf.tidy(() => {
      const f = this.encoder.features(x)
      return this.decoder.forward([f.stem, f.layer1, f.layer2, f.layer3, f.layer4]) as tf.Tensor4D
    })
  }

  /** Per-pixel class logits [N, H, W, classes]. */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.segmentationHead.forward(this.decode(x)) as tf.Tensor4D)
  }
}
