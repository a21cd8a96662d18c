// CropAndResize on wasm against the cpu backend, bit for bit, on the boxes DINO's and CASS's random resized
// crops draw (mirrored ones included), boxes reaching outside the image, one-pixel crops, nearest sampling and
// a box whose image index is out of range; and the box tfjs-wasm's own kernel gets wrong.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useWasmBackend } from '../wasmBackend'
import { randomValues } from '../fixtures/sameAsCpu'
import { cropAndResizeConfig } from './cropAndResize'
import { originalKernel } from './wasmKernelCall'

const image = {
  shape: [3, 16, 16, 3] as [number, number, number, number],
  values: randomValues([3, 16, 16, 3], 7),
}

const boxes: { box: number[]; index: number; why: string }[] = [
  // The box tfjs-wasm 4.22 gets wrong: whole width, bottom edge on the image's, crop as wide as the image.
  { box: [2 / 15, 0, 1, 1], index: 1, why: 'whole width to the bottom edge' },
  { box: [2 / 15, 1, 1, 0], index: 2, why: 'the same, mirrored' },
  { box: [0, 0, 1, 1], index: 0, why: 'the whole image' },
  { box: [0.1, 0.9, 0.9, 0.1], index: 0, why: 'mirrored' },
  { box: [0.9, 0.1, 0.1, 0.9], index: 2, why: 'upside down' },
  { box: [0.2, 0.3, 0.5, 0.6], index: 1, why: 'a small local crop' },
  { box: [-0.2, 0.5, 0.7, 1.3], index: 0, why: 'reaching outside the image' },
  { box: [0.4, 0.4, 0.4, 0.4], index: 1, why: 'a single point' },
  { box: [0.1, 0.1, 0.9, 0.9], index: 5, why: 'an image index out of range' },
]

async function crop(
  backend: 'cpu' | 'wasm',
  cropSize: [number, number],
  method: 'bilinear' | 'nearest',
): Promise<Float32Array> {
  await tf.setBackend(backend)
  const before = tf.memory().numTensors
  const out = tf.tidy(() =>
    tf.image.cropAndResize(
      tf.tensor4d(image.values, image.shape),
      tf.tensor2d(boxes.map((b) => b.box)),
      tf.tensor1d(
        boxes.map((b) => b.index),
        'int32',
      ),
      cropSize,
      method,
      -0.5,
    ),
  )
  const values = (await out.data()) as Float32Array
  out.dispose()
  expect(tf.memory().numTensors).toBe(before)
  return values
}

function firstDifference(a: Float32Array, b: Float32Array, perBox: number): string | null {
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i])))
      return `${boxes[Math.floor(i / perBox)].why}: ${a[i]} vs ${b[i]}`
  return null
}

describe('CropAndResize on wasm', () => {
  beforeAll(async () => {
    await useWasmBackend()
  })

  it.each([
    [[16, 16], 'bilinear'],
    [[7, 7], 'bilinear'],
    [[5, 9], 'nearest'],
    [[1, 1], 'bilinear'],
    [[16, 16], 'nearest'],
  ] as const)('crop %j %s: the cpu backend bit for bit', async (cropSize, method) => {
    const cpu = await crop('cpu', [...cropSize], method)
    const wasm = await crop('wasm', [...cropSize], method)
    expect(wasm.length).toBe(cpu.length)
    expect(firstDifference(wasm, cpu, cropSize[0] * cropSize[1] * 3)).toBeNull()
  })

  it("is ours: tfjs-wasm's own kernel gets the whole-width box wrong (drop this kernel when it does not)", async () => {
    const ours = tf.getKernel('CropAndResize', 'wasm')!
    expect(ours).toBe(cropAndResizeConfig())
    const cpu = await crop('cpu', [16, 16], 'bilinear')
    tf.unregisterKernel('CropAndResize', 'wasm')
    tf.registerKernel(originalKernel(ours))
    try {
      const stock = await crop('wasm', [16, 16], 'bilinear')
      const perBox = 16 * 16 * 3
      let worst = 0
      for (let i = 0; i < perBox; i++) worst = Math.max(worst, Math.abs(stock[i] - cpu[i]))
      expect(worst).toBeGreaterThan(0.1)
    } finally {
      tf.unregisterKernel('CropAndResize', 'wasm')
      tf.registerKernel(ours)
    }
  })
})
