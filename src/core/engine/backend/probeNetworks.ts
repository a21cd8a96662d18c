// Three small networks whose forward + backward passes touch the kernels our real models need: a conv net
// (conv, batch norm, pooling), a U-Net-style net (strided conv, bilinear upsampling, concat, sigmoid/BCE) and
// a transformer block (dense, layer norm, softmax attention, GELU). Used to list and test kernel coverage.
import * as tf from '@tensorflow/tfjs'
import { createSeededRandom } from '../seededRandom'

export interface ProbeNetwork {
  name: string
  /** Loss of the network on a fixed batch; gradients are taken with respect to `weights`. */
  loss: (weights: tf.Tensor[]) => tf.Scalar
  weights: () => tf.Tensor[]
}

function randomTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const random = createSeededRandom(seed)
  const size = shape.reduce((a, b) => a * b, 1)
  return tf.tensor(
    Float32Array.from({ length: size }, () => random.normal() * scale),
    shape,
  )
}

function batchNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2])
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5) as tf.Tensor4D
}

const convNet: ProbeNetwork = {
  name: 'conv net (ResNet-like)',
  weights: () => [
    randomTensor([7, 7, 3, 8], 1, 0.1),
    randomTensor([8], 2, 0.1).add(1),
    randomTensor([8], 3, 0.1),
    randomTensor([3, 3, 8, 8], 4, 0.1),
    randomTensor([1, 1, 8, 8], 5, 0.1),
    randomTensor([8, 3], 6, 0.1),
    randomTensor([3], 7, 0.1),
  ],
  loss: ([c1, g1, b1, c2, c3, fc, fcBias]) => {
    const x = randomTensor([2, 20, 20, 3], 100) as tf.Tensor4D
    let h = tf.relu(batchNorm(tf.conv2d(x, c1 as tf.Tensor4D, 2, 'same'), g1, b1))
    h = tf.maxPool(h, 3, 2, 'same')
    const residual = tf.conv2d(h, c3 as tf.Tensor4D, 1, 'valid')
    h = tf.relu(tf.add(tf.conv2d(h, c2 as tf.Tensor4D, 1, 'same'), residual)) as tf.Tensor4D
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D
    const logits = tf.add(tf.matMul(pooled, fc as tf.Tensor2D), fcBias) as tf.Tensor2D
    const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3)
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar
  },
}

const uNet: ProbeNetwork = {
  name: 'U-Net-style net',
  weights: () => [
    randomTensor([3, 3, 3, 6], 11, 0.2),
    randomTensor([3, 3, 6, 8], 12, 0.2),
    randomTensor([3, 3, 14, 6], 13, 0.2),
    randomTensor([1, 1, 6, 1], 14, 0.2),
    randomTensor([2, 2, 6, 8], 15, 0.2),
  ],
  loss: ([e1, e2, d1, head, down]) => {
    const x = randomTensor([2, 16, 16, 3], 200) as tf.Tensor4D
    const skip = tf.relu(tf.conv2d(x, e1 as tf.Tensor4D, 1, 'same'))
    let h: tf.Tensor4D = tf.avgPool(skip, 2, 2, 'valid')
    h = tf.relu(
      tf.add(
        tf.conv2d(h, e2 as tf.Tensor4D, 1, 'same'),
        tf.conv2d(tf.maxPool(skip, 2, 2, 'valid'), down as tf.Tensor4D, 1, 'same'),
      ),
    ) as tf.Tensor4D
    const up = tf.image.resizeBilinear(h, [16, 16], true)
    h = tf.relu(tf.conv2d(tf.concat([up, skip], 3), d1 as tf.Tensor4D, 1, 'same'))
    // No resizeNearestNeighbor here: the cpu backend's gradient of it is wrong (see the kernel tests).
    const logits = tf.conv2d(h, head as tf.Tensor4D, 1, 'same')
    const mask = tf.cast(tf.greater(randomTensor([2, 16, 16, 1], 201), 0), 'float32')
    return tf.losses.sigmoidCrossEntropy(mask, logits) as tf.Scalar
  },
}

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true)
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-6))), gamma), beta)
}

function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))
}

const transformerBlock: ProbeNetwork = {
  name: 'transformer block',
  weights: () => [
    randomTensor([8], 21, 0.1).add(1),
    randomTensor([8], 22, 0.1),
    randomTensor([8, 24], 23, 0.3),
    randomTensor([8, 8], 24, 0.3),
    randomTensor([8, 16], 25, 0.3),
    randomTensor([16, 8], 26, 0.3),
    randomTensor([5, 8], 27, 0.3),
  ],
  loss: ([g, b, qkv, proj, fc1, fc2, positions]) => {
    const tokens = tf.add(randomTensor([2, 5, 8], 300), positions)
    const heads = 2
    const n = layerNorm(tokens, g, b)
    const qkvOut = tf.reshape(tf.matMul(tf.reshape(n, [10, 8]), qkv as tf.Tensor2D), [2, 5, 3, heads, 4])
    const [q, k, v] = tf.unstack(tf.transpose(qkvOut, [2, 0, 3, 1, 4])) as tf.Tensor4D[]
    const attention = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 0.5))
    const mixed = tf.reshape(tf.transpose(tf.matMul(attention, v), [0, 2, 1, 3]), [10, 8])
    const h = tf.add(tokens, tf.reshape(tf.matMul(mixed, proj as tf.Tensor2D), [2, 5, 8]))
    const mlp = tf.matMul(
      gelu(tf.matMul(tf.reshape(layerNorm(h, g, b), [10, 8]), fc1 as tf.Tensor2D)),
      fc2 as tf.Tensor2D,
    )
    const out = tf.add(h, tf.reshape(mlp, [2, 5, 8]))
    const target = randomTensor([2, 8], 301)
    return tf.losses.meanSquaredError(target, tf.gather(out, [0], 1).reshape([2, 8])) as tf.Scalar
  },
}

export const probeNetworks: ProbeNetwork[] = [convNet, uNet, transformerBlock]
