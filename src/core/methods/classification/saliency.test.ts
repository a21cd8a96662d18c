import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSeeded } from '../../models/nn/module'
import { ResNet } from '../../models/resnet/resnet'
import { resnetConfig } from '../../models/resnet/resnetConfig'
import { VisionTransformer } from '../../models/vit/visionTransformer'
import { vitConfig } from '../../models/vit/vitConfig'
import { saliencyMap } from './saliency'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Positions (row, column) where a [H, W] map is non-zero. */
function nonZero(map: number[][]): [number, number][] {
  const out: [number, number][] = []
  map.forEach((row, y) => row.forEach((v, x) => v !== 0 && out.push([y, x])))
  return out
}

describe('saliencyMap', () => {
  // Class 0's score reads only the top-left 3×3 block, class 1's only rows 5–6, columns 4–7.
  const constructed = (x: tf.Tensor4D) =>
    tf.tidy(() => {
      const a = tf.sum(tf.square(tf.slice(x, [0, 0, 0, 0], [-1, 3, 3, -1])), [1, 2, 3])
      const b = tf.sum(tf.tanh(tf.slice(x, [0, 5, 4, 0], [-1, 2, 4, -1])), [1, 2, 3])
      return tf.stack([a, b], 1) as tf.Tensor2D
    })
  const image = () => tf.randomUniform([1, 8, 8, 3], 0.1, 1, 'float32', 7) as tf.Tensor4D

  it('is non-zero exactly on the region the class score depends on', () => {
    const x = image()
    const top = saliencyMap(constructed, x, 0).arraySync()[0]
    const side = saliencyMap(constructed, x, 1).arraySync()[0]
    const topLeft = [0, 1, 2].flatMap((y) => [0, 1, 2].map((c) => [y, c]))
    const rows56 = [5, 6].flatMap((y) => [4, 5, 6, 7].map((c) => [y, c]))
    expect(nonZero(top)).toEqual(topLeft)
    expect(nonZero(side)).toEqual(rows56)
    // The value is the largest |∂score/∂x| over channels: 2·max(x) for the square, 1 − tanh² for tanh.
    const pixels = x.arraySync()[0]
    expect(top[1][2]).toBeCloseTo(2 * Math.max(...pixels[1][2]), 5)
    expect(side[5][4]).toBeCloseTo(Math.max(...pixels[5][4].map((v) => 1 - Math.tanh(v) ** 2)), 5)
  })

  it('gives each image of a batch its own class and gradient', () => {
    const x = tf.concat([image(), tf.randomUniform([1, 8, 8, 3], 0.1, 1, 'float32', 8)]) as tf.Tensor4D
    const maps = saliencyMap(constructed, x, [0, 1]).arraySync()
    expect(nonZero(maps[0]).length).toBe(9)
    expect(nonZero(maps[1]).length).toBe(8)
  })

  it('works on a CNN and a ViT classifier in eval mode, and leaks no tensors', () => {
    const cnn = buildSeeded(1, () => new ResNet(resnetConfig('resnetTiny', { numClasses: 3 }))).eval()
    const vit = buildSeeded(2, () => new VisionTransformer(vitConfig('vitTiny', { numClasses: 3 }))).eval()
    // torchvision zero-initialises the ViT head: give it weights so the class score depends on the image.
    vit.heads!.head.weight.assign(tf.randomNormal([64, 3], 0, 0.1, 'float32', 3))
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 9) as tf.Tensor4D
    const before = tf.memory().numTensors
    for (const net of [cnn, vit]) {
      const map = saliencyMap((images) => net.forward(images), x, 2)
      expect(map.shape).toEqual([2, 32, 32])
      const values = map.dataSync()
      expect(values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true)
      expect(Math.max(...values)).toBeGreaterThan(0)
      map.dispose()
    }
    expect(tf.memory().numTensors).toBe(before)
    cnn.dispose()
    vit.dispose()
  })

  it("a ViT's map (CASS's Transformer) is its class score's input gradient: finite differences agree", () => {
    const vit = buildSeeded(
      4,
      () => new VisionTransformer(vitConfig('vitTiny', { numClasses: 3, imageSize: 16 })),
    ).eval()
    vit.heads!.head.weight.assign(tf.randomNormal([64, 3], 0, 0.5, 'float32', 5))
    const x = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 6) as tf.Tensor4D
    const map = saliencyMap((images) => vit.forward(images), x, 1)
    const values = map.arraySync()[0]
    const pixels = x.arraySync()[0]
    const score = (img: number[][][]) => tf.tidy(() => vit.forward(tf.tensor4d([img])).arraySync()[0][1])
    const eps = 1e-2
    // Pixels in different patches (8-px patches: 4 of them), through the patch embedding and attention.
    for (const [y, xx] of [
      [1, 2],
      [3, 12],
      [9, 5],
      [14, 14],
    ]) {
      const byChannel = [0, 1, 2].map((c) => {
        const up = structuredClone(pixels)
        const down = structuredClone(pixels)
        up[y][xx][c] += eps
        down[y][xx][c] -= eps
        return Math.abs((score(up) - score(down)) / (2 * eps))
      })
      const expected = Math.max(...byChannel)
      expect(Math.abs(values[y][xx] - expected)).toBeLessThan(2e-3 + 0.05 * expected)
    }
    expect(Math.max(...values.flat())).toBeGreaterThan(1e-3)
    tf.dispose([x, map])
    vit.dispose()
  })

  it('rejects a class the classifier does not have', () => {
    expect(() => saliencyMap(constructed, image(), 2)).toThrow(/class 2/)
    expect(() => saliencyMap(constructed, image(), [0, 1])).toThrow(/1 images but 2/)
  })
})
