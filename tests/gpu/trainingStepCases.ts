// One training step's loss and gradients for a small U-Net, ResNet and ViT, the same code in Node (wasm) and in
// the Chromium page (WebGPU, WebGL): what the GPU equivalence test compares. Weights come from seeded tfjs
// initialisers and inputs from our seeded generator, so every backend starts from the same numbers.
import * as tf from '@tensorflow/tfjs'
import { createSeededRandom } from '../../src/core/engine/seededRandom'
import { ResNet } from '../../src/core/models/resnet/resnet'
import { resnetConfig } from '../../src/core/models/resnet/resnetConfig'
import { Unet } from '../../src/core/models/unet/unet'
import { unetConfig } from '../../src/core/models/unet/unetConfig'
import { VisionTransformer } from '../../src/core/models/vit/visionTransformer'
import { vitConfig } from '../../src/core/models/vit/vitConfig'

export const stepCases = ['unet', 'resnet', 'vit'] as const
export type StepCase = (typeof stepCases)[number]

export interface StepNumbers {
  loss: number
  /** Gradient of every parameter, by parameter name, flattened. */
  grads: Record<string, number[]>
}

function build(name: StepCase) {
  if (name === 'unet')
    return {
      net: new Unet(unetConfig('unetTiny')),
      size: 32,
      classes: unetConfig('unetTiny').classes,
      dense: true,
    }
  if (name === 'resnet') {
    const config = resnetConfig('resnetTinyBottleneck')
    return { net: new ResNet(config), size: 32, classes: config.numClasses!, dense: false }
  }
  const config = vitConfig('vitTiny')
  return {
    net: new VisionTransformer(config),
    size: config.imageSize,
    classes: config.numClasses,
    dense: false,
  }
}

/**
 * Every parameter from our own seeded generator (the models' initialisers draw from tfjs's unseeded random),
 * so all backends start from the same weights: fan-in-scaled normals for weights, 1 ± 0.1 for norm scales,
 * ± 0.1 for biases. Nothing starts at zero, so every gradient is non-trivial (a zero head would zero the rest).
 */
function seedParameters(named: [string, { value: tf.Variable; shape: number[] }][]): void {
  const random = createSeededRandom(5)
  for (const [name, slot] of named) {
    const size = slot.shape.reduce((a, b) => a * b, 1)
    const fanIn = slot.shape.length > 1 ? size / slot.shape[slot.shape.length - 1] : 1
    const scaleLike = slot.shape.length === 1 && name.endsWith('weight')
    const values = Float32Array.from({ length: size }, () =>
      slot.shape.length > 1
        ? random.normal() / Math.sqrt(fanIn)
        : (scaleLike ? 1 : 0) + 0.1 * random.normal(),
    )
    tf.tidy(() => slot.value.assign(tf.tensor(values, slot.shape)))
  }
}

export async function trainingStep(name: StepCase, batch = 4): Promise<StepNumbers> {
  const { net, size, classes, dense } = build(name)
  const random = createSeededRandom(11)
  const x = tf.tensor4d(
    Float32Array.from({ length: batch * size * size * 3 }, () => random.normal()),
    [batch, size, size, 3],
  )
  const count = dense ? batch * size * size : batch
  const ids = tf.tensor1d(
    Int32Array.from({ length: count }, () => random.nextInt(classes)),
    'int32',
  )
  const labels = tf.oneHot(ids, classes)
  const named = net.namedParameters()
  seedParameters(named)
  const params = named.map(([, slot]) => slot.value)
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(labels, tf.reshape(net.forward(x), [-1, classes])) as tf.Scalar,
    params,
  )
  // Asynchronous reads: a synchronous read stalls (WebGL) or is unsupported in places (WebGPU).
  const out: StepNumbers = { loss: (await value.data())[0], grads: {} }
  for (const [key, slot] of named) out.grads[key] = Array.from(await grads[slot.value.name].data())
  tf.dispose([x, ids, labels, value, ...Object.values(grads)])
  net.dispose()
  return out
}
