import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { Conv2d } from '../nn/conv2d'
import { BatchNorm2d } from '../nn/batchNorm2d'
import { Linear } from '../nn/linear'
import { Sequential } from '../nn/sequential'
import { globalAvgPool, maxPool2d } from '../nn/pooling'
import { BasicBlock, Bottleneck } from './residualBlocks'
import type { ResNetConfig } from './resnetConfig'
import { resnetExpansion, resnetStageChannels } from './resnetConfig'

/** Feature maps of every stage, NHWC: what U-Net skips and the PiCIE FPN consume. */
export interface ResNetFeatures {
  /** relu(bn1(conv1(x))), stride 2, `stemWidth` channels. */
  stem: tf.Tensor4D
  /** layer1..layer4 outputs, strides 4, 8, 16, 32. */
  layer1: tf.Tensor4D
  layer2: tf.Tensor4D
  layer3: tf.Tensor4D
  layer4: tf.Tensor4D
}

/**
 * ResNet in torchvision's layout and tensor names (`conv1`, `bn1`, `layer1.0.conv1`, …, `fc`), so
 * torchvision/timm ImageNet weights load by name. Input NHWC.
 */
export class ResNet extends Module {
  readonly conv1: Conv2d
  readonly bn1: BatchNorm2d
  readonly stages: Sequential[]
  readonly fc: Linear | null
  /** Channels of the pooled embedding (512 for ResNet-18/34, 2048 for ResNet-50). */
  readonly embeddingSize: number
  readonly stageChannels: [number, number, number, number]

  constructor(readonly config: ResNetConfig) {
    super()
    if (config.layers.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new Error(`ResNet layers must be positive integers, got [${config.layers}]`)
    }
    this.conv1 = this.addModule(
      'conv1',
      new Conv2d(config.inChannels, config.stemWidth, 7, { stride: 2, padding: 3, bias: false }),
    )
    this.bn1 = this.addModule('bn1', new BatchNorm2d(config.stemWidth))
    const Block = config.block === 'bottleneck' ? Bottleneck : BasicBlock
    const expansion = resnetExpansion(config)
    let inChannels = config.stemWidth
    this.stages = config.widths.map((planes, i) => {
      const blocks = []
      for (let b = 0; b < config.layers[i]; b++) {
        blocks.push(new Block(inChannels, planes, b === 0 && i > 0 ? 2 : 1))
        inChannels = planes * expansion
      }
      return this.addModule(`layer${i + 1}`, new Sequential(blocks))
    })
    this.embeddingSize = inChannels
    this.stageChannels = resnetStageChannels(config)
    this.fc =
      config.numClasses === null ? null : this.addModule('fc', new Linear(inChannels, config.numClasses))
  }

  /** Every stage's feature map. The caller owns (and disposes) the returned tensors. */
  features(x: tf.Tensor): ResNetFeatures {
    if (x.rank !== 4 || x.shape[3] !== this.config.inChannels) {
      throw new Error(`ResNet expects NHWC images with ${this.config.inChannels} channels, got [${x.shape}]`)
    }
    return tf.tidy(() => {
      const stem = tf.relu(this.bn1.forward(this.conv1.forward(x))) as tf.Tensor4D
      const layer1 = this.stages[0].forward(maxPool2d(stem, 3, 2, 1)) as tf.Tensor4D
      const layer2 = this.stages[1].forward(layer1) as tf.Tensor4D
      const layer3 = this.stages[2].forward(layer2) as tf.Tensor4D
      const layer4 = this.stages[3].forward(layer3) as tf.Tensor4D
      return { stem, layer1, layer2, layer3, layer4 }
    })
  }

  /** Global-average-pooled embedding [N, embeddingSize] (the input of `fc`). */
  embed(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => globalAvgPool(this.features(x).layer4))
  }

  /** Class logits [N, numClasses] with a head, else the embedding. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const embedding = this.embed(x)
      return this.fc ? (this.fc.forward(embedding) as tf.Tensor2D) : embedding
    })
  }

  /** Swap the head, e.g. 1000 ImageNet classes → C classes for fine-tuning (torchvision's `model.fc = …`). */
  replaceHead(numClasses: number): void {
    if (!this.fc) throw new Error('this ResNet was built without an fc head')
    const fresh = new Linear(this.embeddingSize, numClasses)
    this.fc.dispose()
    this.replaceModule('fc', fresh)
    ;(this as { fc: Linear | null }).fc = fresh
  }
}
