// The cpu backend's Transform (tf.image.transform) over a batch of three images, each with its own map (and
// one shared): every image equals tfjs-cpu's own kernel on that image alone (right for a batch of one) bit for
// bit, for every fill mode, both interpolations and another output size; CASS's use (bilinear, constant)
// equals wasm's kernel too. And the kernel tfjs-cpu ships transforms only the first image of a batch.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { randomValues } from './fixtures/sameAsCpu'
import { registerCpuTransform } from './cpuTransform'
import { useWasmBackend } from './wasmBackend'

const shape: [number, number, number, number] = [3, 9, 11, 2]
const image = randomValues(shape, 5)
const imageSize = 9 * 11 * 2
// A mirror, a rotation with a shift, and a perspective map (TensorFlow's 8 numbers each).
const perImage = [
  [-1, 0, 10, 0, 1, 0, 0, 0],
  [0.94, -0.34, 2.2, 0.34, 0.94, -1.6, 0, 0],
  [1.05, 0.08, -0.7, 0.02, 0.93, 0.9, 0.004, -0.006],
]
type Fill = 'constant' | 'reflect' | 'wrap' | 'nearest'
type Interpolation = 'nearest' | 'bilinear'

function transform(
  images: Float32Array,
  batch: number,
  transforms: number[][],
  interpolation: Interpolation,
  fill: Fill,
  outputShape?: [number, number],
): Float32Array {
  return tf.tidy(() =>
    tf.image
      .transform(
        tf.tensor4d(images, [batch, 9, 11, 2]),
        tf.tensor2d(transforms),
        interpolation,
        fill,
        0.25,
        outputShape,
      )
      .dataSync(),
  ) as Float32Array
}

describe('Transform on the cpu backend', () => {
  let stock: tf.KernelConfig
  let ours: tf.KernelConfig

  /** tfjs-cpu's own kernel on each image alone, the results one after the other. */
  function stockImageByImage(
    transforms: number[][],
    interpolation: Interpolation,
    fill: Fill,
    out?: [number, number],
  ) {
    tf.unregisterKernel('Transform', 'cpu')
    tf.registerKernel(stock)
    try {
      return perImage.flatMap((_, i) =>
        Array.from(
          transform(
            image.subarray(i * imageSize, (i + 1) * imageSize),
            1,
            [transforms[transforms.length === 1 ? 0 : i]],
            interpolation,
            fill,
            out,
          ),
        ),
      )
    } finally {
      tf.unregisterKernel('Transform', 'cpu')
      tf.registerKernel(ours)
    }
  }

  beforeAll(async () => {
    await tf.setBackend('cpu')
    stock = tf.getKernel('Transform', 'cpu')!
    registerCpuTransform()
    ours = tf.getKernel('Transform', 'cpu')!
  })

  const cases = (['nearest', 'bilinear'] as const).flatMap((interpolation) =>
    (['constant', 'reflect', 'wrap', 'nearest'] as const).map((fill) => [interpolation, fill] as const),
  )
  it.each(cases)('%s, fill %s: each image as tfjs-cpu does it alone, bit for bit', (interpolation, fill) => {
    for (const transforms of [perImage, [perImage[1]]]) {
      const batch = Array.from(transform(image, 3, transforms, interpolation, fill))
      expect(batch).toEqual(stockImageByImage(transforms, interpolation, fill))
    }
  })

  it('another output size', () => {
    const batch = transform(image, 3, perImage, 'bilinear', 'reflect', [7, 13])
    expect(batch.length).toBe(3 * 7 * 13 * 2)
    expect(Array.from(batch)).toEqual(stockImageByImage(perImage, 'bilinear', 'reflect', [7, 13]))
  })

  it("CASS's use, bilinear with a constant fill: wasm's kernel within float32 rounding", async () => {
    const cpu = transform(image, 3, perImage, 'bilinear', 'constant')
    await useWasmBackend()
    try {
      const wasm = transform(image, 3, perImage, 'bilinear', 'constant')
      let worst = 0
      cpu.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - wasm[i]))))
      expect(worst).toBeLessThan(1e-5)
    } finally {
      await tf.setBackend('cpu')
    }
  })

  it("is needed: tfjs-cpu's own kernel leaves every image after the first at the fill value", () => {
    tf.unregisterKernel('Transform', 'cpu')
    tf.registerKernel(stock)
    try {
      const out = transform(image, 3, perImage, 'bilinear', 'constant')
      expect(out.subarray(imageSize).every((v) => v === 0.25)).toBe(true)
    } finally {
      tf.unregisterKernel('Transform', 'cpu')
      tf.registerKernel(ours)
    }
  })
})
