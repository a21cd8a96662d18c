import * as tf from '@tensorflow/tfjs'
import { Module } from './module'
import type { TensorModule } from './module'

/** torch.nn.Sequential: children named 0, 1, 2, … and applied in order. */
export class Sequential extends Module implements TensorModule {
  readonly layers: TensorModule[]

  constructor(layers: TensorModule[]) {
    super()
    this.layers = layers.map((layer, i) => this.addModule(String(i), layer))
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.layers.reduce((y, layer) => layer.forward(y), x))
  }
}

/** A parameterless step inside a Sequential (torch's nn.ReLU, nn.Identity): keeps torch's child indices. */
export class Lambda extends Module implements TensorModule {
  constructor(private readonly fn: (x: tf.Tensor) => tf.Tensor) {
    super()
  }

  forward(x: tf.Tensor): tf.Tensor {
    return this.fn(x)
  }
}
