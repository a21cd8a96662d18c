import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { BatchNorm2d } from '../../models/nn/batchNorm2d'
import { Conv2d } from '../../models/nn/conv2d'
import { Dropout } from '../../models/nn/dropout'
import { buildSeeded, Module } from '../../models/nn/module'
import { mcDropoutVariance, noiseModules } from './mcDropout'
import { pixelDisagreement, pixelEntropy, pixelVariance } from './uncertaintyMeasures'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const values = (t: tf.Tensor) => Array.from(t.dataSync())

describe('pixelEntropy', () => {
  it('is −Σ p ln p per pixel, by hand on a 2 × 2 two-class map', () => {
    const p = tf.tensor4d([0.5, 0.5, 1, 0, 0.9, 0.1, 0.25, 0.75], [1, 2, 2, 2])
    const h = pixelEntropy(p)
    expect(h.shape).toEqual([1, 2, 2])
    const hand = [
      Math.LN2,
      0,
      -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1)), // 0.325083
      -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), // 0.562335
    ]
    values(h).forEach((v, i) => expect(v).toBeCloseTo(hand[i], 5))
    tf.dispose([p, h])
  })

  it('reaches ln C on a uniform three-class pixel', () => {
    const p = tf.fill([1, 1, 1, 3], 1 / 3) as tf.Tensor4D
    const h = pixelEntropy(p)
    expect(values(h)[0]).toBeCloseTo(Math.log(3), 5)
    tf.dispose([p, h])
  })
})

describe('pixelDisagreement', () => {
  it('marks exactly the pixels whose most probable classes differ', () => {
    // CNN says 0, 1, 1, 0; Swin says 0, 0, 1, 1 (argmax per pixel).
    const cnn = tf.tensor4d([0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.7, 0.3], [1, 2, 2, 2])
    const swin = tf.tensor4d([0.6, 0.4, 0.55, 0.45, 0.1, 0.9, 0.2, 0.8], [1, 2, 2, 2])
    const d = pixelDisagreement(cnn, swin)
    expect(values(d)).toEqual([0, 1, 0, 1])
    tf.dispose([cnn, swin, d])
  })

  it('refuses outputs of different shapes', () => {
    const a = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D
    const b = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D
    expect(() => pixelDisagreement(a, b)).toThrow(/differ in shape/)
    tf.dispose([a, b])
  })
})

describe('pixelVariance', () => {
  it('is the per-class variance over passes, averaged over classes', () => {
    const a = tf.tensor4d([0.2, 0.8], [1, 1, 1, 2])
    const b = tf.tensor4d([0.6, 0.4], [1, 1, 1, 2])
    const v = pixelVariance([a, b])
    // Each class: values 0.2/0.6 (or 0.8/0.4), mean 0.4, variance 0.04.
    expect(values(v)[0]).toBeCloseTo(0.04, 6)
    tf.dispose([a, b, v])
  })
})

class TinyNet extends Module {
  readonly conv = this.addModule('conv', new Conv2d(3, 8, 1))
  readonly bn = this.addModule('bn', new BatchNorm2d(8))
  readonly drop: Dropout
  readonly head = this.addModule('head', new Conv2d(8, 2, 1))
  constructor(p: number | null) {
    super()
    this.drop = p === null ? (null as unknown as Dropout) : this.addModule('drop', new Dropout(p))
  }
  forward(x: tf.Tensor): tf.Tensor {
    const h = tf.relu(this.bn.forward(this.conv.forward(x)))
    return this.head.forward(this.drop ? this.drop.forward(h) : h)
  }
}

describe('mcDropoutVariance', () => {
  const images = () => tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 3) as tf.Tensor4D

  it('samples the dropout: variance above 0 with p = 0.5, 0 (to rounding) with p = 0', () => {
    const x = images()
    for (const [p, positive] of [
      [0.5, true],
      [0, false],
    ] as const) {
      const net = buildSeeded(1, () => new TinyNet(p))
      const v = mcDropoutVariance(net, x, 6)
      const mean = values(v).reduce((s, a) => s + a, 0) / v.size
      if (positive) expect(mean).toBeGreaterThan(1e-4)
      else expect(mean).toBeLessThan(1e-12)
      tf.dispose(v)
      net.dispose()
    }
    x.dispose()
  })

  it('keeps BatchNorm in evaluation mode and leaves no tensors behind', () => {
    const x = images()
    const net = buildSeeded(2, () => new TinyNet(0))
    const evalOut = tf.tidy(() => tf.softmax(net.eval().forward(x)))
    net.train(true)
    const before = tf.memory().numTensors
    const v = mcDropoutVariance(net, x, 3)
    expect(tf.memory().numTensors).toBe(before + 1)
    expect(net.training).toBe(true)
    // Batch statistics would move the passes off the evaluation output; with p = 0 all passes equal it.
    const pass = tf.tidy(() => {
      net.train(false)
      for (const m of noiseModules(net)) m.train(true)
      return tf.softmax(net.forward(x))
    })
    expect(values(pass)).toEqual(values(evalOut))
    tf.dispose([x, v, evalOut, pass])
    net.dispose()
  })

  it('refuses a net without dropout, saying so', () => {
    const x = images()
    const net = buildSeeded(3, () => new TinyNet(null))
    expect(() => mcDropoutVariance(net, x, 4, 'The U-Net')).toThrow(/The U-Net has no dropout/)
    tf.dispose(x)
    net.dispose()
  })
})
