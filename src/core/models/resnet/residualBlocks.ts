import * as tf from '@tensorflow/tfjs'
import { Module } from '../nn/module'
import type { TensorModule } from '../nn/module'
import { Conv2d } from '../nn/conv2d'
import { BatchNorm2d } from '../nn/batchNorm2d'
import { Sequential } from '../nn/sequential'

/** torchvision's `downsample`: 1×1 strided conv + BN, children `0` and `1`. */
function downsample(inChannels: number, outChannels: number, stride: number): Sequential {
  return new Sequential([
    new Conv2d(inChannels, outChannels, 1, { stride, bias: false }),
    new BatchNorm2d(outChannels),
  ])
}

/** torchvision BasicBlock: two 3×3 convs (ResNet-18/34). */
export class BasicBlock extends Module implements TensorModule {
  static readonly expansion = 1
  readonly conv1: Conv2d
  readonly bn1: BatchNorm2d
  readonly conv2: Conv2d
  readonly bn2: BatchNorm2d
  readonly downsample: Sequential | null

  constructor(inChannels: number, planes: number, stride: number) {
    super()
    this.conv1 = this.addModule(
      'conv1',
      new Conv2d(inChannels, planes, 3, { stride, padding: 1, bias: false }),
    )
    this.bn1 = this.addModule('bn1', new BatchNorm2d(planes))
    this.conv2 = this.addModule('conv2', new Conv2d(planes, planes, 3, { padding: 1, bias: false }))
    this.bn2 = this.addModule('bn2', new BatchNorm2d(planes))
    this.downsample =
      stride !== 1 || inChannels !== planes
        ? this.addModule('downsample', downsample(inChannels, planes, stride))
        : null
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const y = this.bn2.forward(this.conv2.forward(tf.relu(this.bn1.forward(this.conv1.forward(x)))))
      const identity = this.downsample ? this.downsample.forward(x) : x
      return tf.relu(tf.add(y, identity))
    })
  }
}

/** torchvision Bottleneck (v1.5): 1×1 → 3×3 (strided) → 1×1 ×4 (ResNet-50). */
export class Bottleneck extends Module implements TensorModule {
  static readonly expansion = 4
  readonly conv1: Conv2d
  readonly bn1: BatchNorm2d
  readonly conv2: Conv2d
  readonly bn2: BatchNorm2d
  readonly conv3: Conv2d
  readonly bn3: BatchNorm2d
  readonly downsample: Sequential | null

  constructor(inChannels: number, planes: number, stride: number) {
    super()
    const out = planes * Bottleneck.expansion
    this.conv1 = this.addModule('conv1', new Conv2d(inChannels, planes, 1, { bias: false }))
    this.bn1 = this.addModule('bn1', new BatchNorm2d(planes))
    this.conv2 = this.addModule('conv2', new Conv2d(planes, planes, 3, { stride, padding: 1, bias: false }))
    this.bn2 = this.addModule('bn2', new BatchNorm2d(planes))
    this.conv3 = this.addModule('conv3', new Conv2d(planes, out, 1, { bias: false }))
    this.bn3 = this.addModule('bn3', new BatchNorm2d(out))
    this.downsample =
      stride !== 1 || inChannels !== out
        ? this.addModule('downsample', downsample(inChannels, out, stride))
        : null
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let y = tf.relu(this.bn1.forward(this.conv1.forward(x)))
      y = tf.relu(this.bn2.forward(this.conv2.forward(y)))
      y = this.bn3.forward(this.conv3.forward(y))
      const identity = this.downsample ? this.downsample.forward(x) : x
      return tf.relu(tf.add(y, identity))
    })
  }
}
