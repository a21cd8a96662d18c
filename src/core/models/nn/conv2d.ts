import * as tf from '@tensorflow/tfjs'
import { Module, TensorSlot } from './module'
import { conv2dOp } from './conv2dOp'
import { kaimingNormalFanOut, torchDefault, zeros } from './init'
import type { Initializer } from './module'

export interface Conv2dOptions {
  stride?: number
  padding?: number
  dilation?: number
  bias?: boolean
  /** Weight init; defaults to torchvision ResNet's kaiming_normal_(fan_out, relu). */
  init?: Initializer
  biasInit?: Initializer
}

/** torch.nn.Conv2d on NHWC tensors; weight stored HWIO, named `weight` (OIHW in torch files). */
export class Conv2d extends Module {
  readonly weight: TensorSlot
  readonly bias: TensorSlot | null
  readonly stride: number
  readonly padding: number
  readonly dilation: number

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    options: Conv2dOptions = {},
  ) {
    super()
    this.stride = options.stride ?? 1
    this.padding = options.padding ?? 0
    this.dilation = options.dilation ?? 1
    const fanIn = inChannels * kernelSize * kernelSize
    const fanOut = outChannels * kernelSize * kernelSize
    this.weight = this.addTensor(
      'weight',
      [kernelSize, kernelSize, inChannels, outChannels],
      options.init ?? kaimingNormalFanOut(fanOut),
      { layout: 'conv2d' },
    )
    const withBias = options.bias ?? true
    this.bias = withBias
      ? this.addTensor(
          'bias',
          [outChannels],
          options.biasInit ?? (options.init ? zeros : torchDefault(fanIn)),
        )
      : null
  }

  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const x4 = x as tf.Tensor4D
      if (x4.rank !== 4 || x4.shape[3] !== this.inChannels) {
        throw new Error(`Conv2d expects NHWC input with ${this.inChannels} channels, got [${x.shape}]`)
      }
      const w = this.weight.value as tf.Tensor4D
      // A numeric pad is torch's symmetric zero padding. Dilated convs keep tfjs' kernel (no fast gradient).
      const y =
        this.dilation === 1
          ? conv2dOp(x4, w, this.stride, this.padding)
          : tf.conv2d(x4, w, this.stride, this.padding, 'NHWC', this.dilation)
      return this.bias ? tf.add(y, this.bias.value) : y
    })
  }
}
