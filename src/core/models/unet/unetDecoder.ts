import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import { Conv2d } from '../nn/conv2d'
import { BatchNorm2d } from '../nn/batchNorm2d'
import { Lambda, Sequential } from '../nn/sequential'
import { ModuleList } from '../nn/moduleList'
import { kaimingUniformFanIn } from '../nn/init'
import { upsampleNearest } from '../nn/resize'
import { concatChannels } from '../nn/concatChannels'

/** smp's Conv2dReLU: children 0 (3×3 conv, no bias), 1 (BatchNorm), 2 (ReLU). */
function convBnRelu(inChannels: number, outChannels: number): Sequential {
  return new Sequential([
    new Conv2d(inChannels, outChannels, 3, {
      padding: 1,
      bias: false,
      init: kaimingUniformFanIn(inChannels * 9),
    }),
    new BatchNorm2d(outChannels),
    new Lambda((x) => tf.relu(x)),
  ])
}

/** One decoder step: nearest 2× upsampling, concat the skip (if any), two conv-BN-ReLU. */
export class UnetDecoderBlock extends Module {
  readonly conv1: Sequential
  readonly conv2: Sequential

  constructor(inChannels: number, skipChannels: number, outChannels: number) {
    super()
    this.conv1 = this.addModule('conv1', convBnRelu(inChannels + skipChannels, outChannels))
    this.conv2 = this.addModule('conv2', convBnRelu(outChannels, outChannels))
  }

  forward(x: tf.Tensor, skip: tf.Tensor | null): tf.Tensor {
    return tf.tidy(() => {
      let y: tf.Tensor = upsampleNearest(x, 2)
      if (skip) {
        if (skip.shape[1] !== y.shape[1] || skip.shape[2] !== y.shape[2]) {
          throw new Error(
            `U-Net skip [${skip.shape}] does not match upsampled [${y.shape}]; use a side divisible by 32`,
          )
        }
        y = concatChannels(y, skip)
      }
      return this.conv2.forward(this.conv1.forward(y))
    })
  }
}

/** smp UnetDecoder (no center block, no attention): blocks `blocks.0` … `blocks.4`. */
export class UnetDecoder extends Module {
  readonly blocks: UnetDecoderBlock[]

  /**
   * @param encoderChannels channels of [stem, layer1, layer2, layer3, layer4] (strides 2…32)
   * @param decoderChannels outputs of the five blocks, deepest first
   */
  constructor(encoderChannels: number[], decoderChannels: number[]) {
    super()
    if (encoderChannels.length !== 5 || decoderChannels.length !== 5) {
      throw new Error('the U-Net decoder needs 5 encoder stages and 5 decoder channel counts')
    }
    const deepestFirst = [...encoderChannels].reverse()
    const inChannels = [deepestFirst[0], ...decoderChannels.slice(0, -1)]
    const skipChannels = [...deepestFirst.slice(1), 0]
    const blocks = decoderChannels.map((out, i) => new UnetDecoderBlock(inChannels[i], skipChannels[i], out))
    this.blocks = this.addModule('blocks', new ModuleList(blocks)).items
  }

  /** @param features [stem, layer1, layer2, layer3, layer4] */
  forward(features: tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [head, ...skips] = [...features].reverse()
      return this.blocks.reduce<tf.Tensor>((x, block, i) => block.forward(x, skips[i] ?? null), head)
    })
  }
}
