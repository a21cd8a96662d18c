import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSeeded, buildShapeOnly } from '../../models/nn/module'
import { DinoHead, officialDinoHead } from './dinoHead'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const small = { inDim: 6, outDim: 10, hiddenDim: 8, bottleneckDim: 4, layers: 3, normLastLayer: true }

describe('DinoHead', () => {
  it("has DINO's torch names and parameter count (ViT-S/16 head: 768·2048 … → 65 536)", () => {
    const head = buildShapeOnly(() => new DinoHead(officialDinoHead(384)))
    expect(head.namedTensors().map(([n, s]) => [n, s.torchShape])).toEqual([
      ['mlp.0.weight', [2048, 384]],
      ['mlp.0.bias', [2048]],
      ['mlp.2.weight', [2048, 2048]],
      ['mlp.2.bias', [2048]],
      ['mlp.4.weight', [256, 2048]],
      ['mlp.4.bias', [256]],
      ['last_layer.weight_g', [65536, 1]],
      ['last_layer.weight_v', [65536, 256]],
    ])
  })

  it('computes last_layer(normalise(mlp(x))) with W = g·V/‖V‖, by hand on the layers', () => {
    const head = buildSeeded(1, () => new DinoHead(small))
    head.lastLayer.weightG.assign(tf.tensor2d([[1, 2, 0.5, 1, 1, 3, 1, 1, 1, 1]]))
    const x = tf.randomNormal([3, 6], 0, 1, 'float32', 2)
    const lin = (name: string, v: tf.Tensor) => {
      const w = head.getModule(name) as unknown as {
        weight: { value: tf.Tensor }
        bias: { value: tf.Tensor }
      }
      return tf.add(tf.matMul(v as tf.Tensor2D, w.weight.value as tf.Tensor2D), w.bias.value)
    }
    const erfGelu = (v: tf.Tensor) => tf.mul(tf.mul(v, 0.5), tf.add(tf.erf(tf.div(v, Math.SQRT2)), 1))
    const z = lin('mlp.4', erfGelu(lin('mlp.2', erfGelu(lin('mlp.0', x)))))
    const unit = tf.div(z, tf.norm(z, 'euclidean', 1, true))
    const V = head.lastLayer.weightV.value.arraySync() as number[][]
    const g = (head.lastLayer.weightG.value.arraySync() as number[][])[0]
    const W = V.map((row) => row.map((v, j) => (v * g[j]) / Math.hypot(...V.map((r) => r[j]))))
    const expected = tf.matMul(unit as tf.Tensor2D, tf.tensor2d(W))
    const got = head.forward(x)
    expect(tf.max(tf.abs(tf.sub(got, expected))).arraySync()).toBeLessThan(1e-5)
  })

  it('with normLastLayer, g is frozen at 1: every prototype has unit length; otherwise g trains', () => {
    const frozen = buildSeeded(3, () => new DinoHead(small))
    const norms = tf.norm(frozen.lastLayer.weight(), 'euclidean', 0).dataSync()
    for (const n of norms) expect(n).toBeCloseTo(1, 5)
    expect(frozen.parameters()).not.toContain(frozen.lastLayer.weightG.value)
    expect(frozen.lastLayerParameters()).toEqual([frozen.lastLayer.weightV.value])
    const free = buildSeeded(3, () => new DinoHead({ ...small, normLastLayer: false }))
    expect(free.parameters()).toContain(free.lastLayer.weightG.value)
  })
})
