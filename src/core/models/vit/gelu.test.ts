// The fused GELU kernels (cpu and wasm, engine/backend/geluKernels.ts) against the same maths as tfjs ops with
// autodiff on the cpu backend (GELU's path on WebGPU and WebGL): output and input gradient on odd shapes, with
// values from −30 to 30; on wasm the forward has the composed ops' bits; nothing left behind.
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededValues } from '../../engine/backend/fixtures/normalisationInputs'
import { stopHeapThreads } from '../../engine/backend/heapThreads'
import { useWasmBackend } from '../../engine/backend/wasmBackend'
import { gelu, geluByOps } from './gelu'

type Activation = (x: tf.Tensor) => tf.Tensor

/** Inputs of `size` values: seeded ones scaled to ±4, then edges (0, −0, ±30, ±6, ±1e-3). */
function inputs(size: number): Float32Array {
  const values = seededValues(size, 1, 8)
  const edges = [0, -0, 30, -30, 6, -6, 1e-3, -1e-3]
  edges.slice(0, size).forEach((v, i) => (values[(i * 7) % size] = v))
  return values
}

/** y and dx (for the upstream gradient dy) of `activation` on the active backend, with no tensor left behind. */
function run(activation: Activation, shape: number[]): Float32Array[] {
  const size = shape.reduce((p, q) => p * q, 1)
  const x = tf.tensor(inputs(size), shape)
  const dy = tf.tensor(seededValues(size, 2), shape)
  const before = tf.memory().numTensors
  const y = activation(x)
  const dx = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(activation(t), dy)))(x))
  const out = [y, dx].map((t) => t.dataSync() as Float32Array)
  tf.dispose([y, dx])
  expect(tf.memory().numTensors).toBe(before)
  tf.dispose([x, dy])
  return out
}

function worstError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length)
  const scale = Math.max(...Array.from(expected, Math.abs))
  expect(scale).toBeGreaterThan(0)
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
  return worst / scale
}

// 91 values end in 3 outside whole vectors; 384 are whole vectors; 2 are fewer than one.
const shapes = [
  [7, 13],
  [4, 96],
  [1, 3],
]

describe('fused GELU', () => {
  beforeAll(async () => {
    await useWasmBackend()
  })
  afterAll(stopHeapThreads)

  it.each(shapes.map((shape) => ({ shape })))(
    'output and input gradient on $shape equal the tfjs ops on cpu and on wasm',
    async ({ shape }) => {
      await tf.setBackend('cpu')
      const expected = run(geluByOps, shape)
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend)
        const fused = run(gelu, shape)
        fused.forEach((values, i) => expect(worstError(values, expected[i])).toBeLessThan(1e-6))
      }
    },
  )

  it('on wasm, the forward has the bits of the composed ops there', async () => {
    await tf.setBackend('wasm')
    const [fused] = run(gelu, [7, 13])
    const [byOps] = run(geluByOps, [7, 13])
    expect(fused).toEqual(byOps)
  })

  it('GELU of large negative inputs is 0 and of large positive ones the input; its slope 0 and 1', async () => {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend)
      const x = tf.tensor1d([-30, -12, 12, 30, 0])
      const y = gelu(x)
      const dx = tf.grad((t: tf.Tensor) => tf.sum(gelu(t)))(x)
      const near = (actual: Float32Array | Int32Array | Uint8Array, expected: number[]) =>
        expected.forEach((v, i) => expect(Math.abs(actual[i] - v)).toBeLessThan(1e-6))
      near(y.dataSync(), [0, 0, 12, 30, 0])
      near(dx.dataSync(), [0, 0, 1, 1, 0.5])
      tf.dispose([x, y, dx])
    }
  })
})
