// torch.roll over several axes (the fused kernel on cpu and wasm, engine/backend/rollKernels.ts) against a
// gather of each axis's rolled indices, values and gradient, bit for bit, with nothing left behind.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { seededValues } from '../../engine/backend/fixtures/normalisationInputs'
import { useWasmBackend } from '../../engine/backend/wasmBackend'
import { rollAxes } from './roll'

/** Element i of each axis moves to (i + shift) mod size, as a gather of indices (i − shift) mod size. */
function rollByGather(x: tf.Tensor, shifts: number[]): tf.Tensor {
  return tf.tidy(() =>
    shifts.reduce((y, shift, axis) => {
      const size = x.shape[axis]
      const from = Array.from({ length: size }, (_, i) => (((i - shift) % size) + size) % size)
      return tf.gather(y, tf.tensor1d(from, 'int32'), axis)
    }, x),
  )
}

/** The rolled values and the gradient of Σ roll(x)·dy with respect to x. */
function run(roll: (x: tf.Tensor) => tf.Tensor, shape: number[]): Float32Array[] {
  const size = shape.reduce((p, q) => p * q, 1)
  const x = tf.tensor(seededValues(size, 1), shape)
  const dy = tf.tensor(seededValues(size, 2), shape)
  const before = tf.memory().numTensors
  const y = tf.tidy(() => roll(x))
  const dx = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(roll(t), dy)))(x))
  const out = [y, dx].map((t) => t.dataSync() as Float32Array)
  tf.dispose([y, dx])
  expect(tf.memory().numTensors).toBe(before)
  tf.dispose([x, dy])
  return out
}

const cases = [
  // Swin's shifted windows, before and after attention.
  { shape: [2, 7, 9, 3], shifts: [0, -3, -3, 0] },
  { shape: [2, 7, 9, 3], shifts: [0, 3, 3, 0] },
  // One axis, the last, the first; a shift beyond the size and a negative one; every axis.
  { shape: [3, 4], shifts: [1, 0] },
  { shape: [3, 4], shifts: [0, 5] },
  { shape: [2, 3, 4], shifts: [-7, 2, -1] },
  { shape: [5], shifts: [2] },
]

describe('roll', () => {
  beforeAll(async () => {
    await useWasmBackend()
  })

  it.each(cases)('$shape by $shifts equals a gather, values and gradient, on cpu and wasm', async (c) => {
    await tf.setBackend('cpu')
    const expected = run((x) => rollByGather(x, c.shifts), c.shape)
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend)
      const fused = run((x) => rollAxes(x, c.shifts), c.shape)
      expect(fused).toEqual(expected)
    }
  })

  it('no shift, or whole turns, return the input itself', async () => {
    await tf.setBackend('cpu')
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])
    expect(rollAxes(x, [0, 0])).toBe(x)
    expect(rollAxes(x, [2, -3])).toBe(x)
    x.dispose()
  })
})
