import * as tf from '@tensorflow/tfjs'
import type { Initializer } from './module'

/** Initializers matching torch.nn.init, so from-scratch training starts where PyTorch's would. */

export const zeros: Initializer = (shape) => tf.zeros(shape)
export const ones: Initializer = (shape) => tf.ones(shape)

export function constant(value: number): Initializer {
  return (shape) => tf.fill(shape, value)
}

export function uniform(bound: number): Initializer {
  return (shape, seed) => tf.randomUniform(shape, -bound, bound, 'float32', seed)
}

export function normal(std: number): Initializer {
  return (shape, seed) => tf.randomNormal(shape, 0, std, 'float32', seed)
}

/** For timm's trunc_normal_(std): timm cuts at ±2 absolute, tfjs at ±2σ; either way a near-normal start. */
export function truncNormal(std: number): Initializer {
  return (shape, seed) => tf.truncatedNormal(shape, 0, std, 'float32', seed)
}

/** kaiming_normal_(mode='fan_out', nonlinearity='relu'): torchvision's ResNet conv init. */
export function kaimingNormalFanOut(fanOut: number): Initializer {
  return normal(Math.sqrt(2 / fanOut))
}

/** kaiming_uniform_(nonlinearity='relu') with fan_in: std sqrt(2/fan_in). */
export function kaimingUniformFanIn(fanIn: number): Initializer {
  return uniform(Math.sqrt(3) * Math.sqrt(2 / fanIn))
}

/** torch's default for Conv2d/Linear weights and biases (kaiming_uniform a=√5): U(±1/√fan_in). */
export function torchDefault(fanIn: number): Initializer {
  return uniform(1 / Math.sqrt(Math.max(fanIn, 1)))
}

export function xavierUniform(fanIn: number, fanOut: number): Initializer {
  return uniform(Math.sqrt(6 / (fanIn + fanOut)))
}
