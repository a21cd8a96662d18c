// The fused layer-norm kernels (cpu and wasm, through models/nn/layerNormOp.ts) against the same maths as plain
// tfjs ops with autodiff on the cpu backend (LayerNorm's path on WebGPU and WebGL), on odd shapes: output and
// the gradients of input, weight and bias; and the split kernels bit for bit at 1, 2 and 3 threads.
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalisationInputs, seededValues } from '../../engine/backend/fixtures/normalisationInputs'
import { layerNormOp } from './layerNormOp'
import { sharedHeap } from '../../engine/backend/fixtures/sharedHeap'
import { runSplit, stopHeapThreads } from '../../engine/backend/heapThreads'
import {
  layerNormForwardRows,
  layerNormInputGradientRows,
  layerNormWeightGradientColumns,
} from '../../engine/backend/layerNormKernels'
import {
  layerNormForwardRowsWasm,
  layerNormInputGradientRowsWasm,
  layerNormWeightGradientColumnsWasm,
} from '../../engine/backend/wasmKernels/layerNormPasses'
import type { HeapExports } from '../../engine/backend/heapThreads'
import { layerNormModuleBytes } from '../../engine/backend/wasmKernels/layerNormWasm'
import { webAssembly } from '../../engine/backend/webAssemblyApi'
import { useWasmBackend } from '../../engine/backend/wasmBackend'

const eps = 1e-5

type Layer = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor

/** torch.nn.LayerNorm as tfjs ops (biased variance, eps inside the square root). */
const byOps: Layer = (x, w, b) => {
  const { mean, variance } = tf.moments(x, -1, true)
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), w), b)
}

/** y, dx, dw, db of `layer` on the active backend, with no tensor left behind. */
function run(layer: Layer, shape: number[]): Float32Array[] {
  const { x, w, b, dy } = normalisationInputs(shape)
  const before = tf.memory().numTensors
  const y = tf.tidy(() => layer(x, w, b))
  const grads = tf.tidy(() =>
    tf.grads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(layer(xs, ws, bs), dy)))([
      x,
      w,
      b,
    ]),
  )
  const out = [y, ...grads].map((t) => t.dataSync() as Float32Array)
  tf.dispose([y, ...grads])
  expect(tf.memory().numTensors).toBe(before)
  tf.dispose([x, w, b, dy])
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

// Rows of 12, 16 and 96 go through the WebAssembly passes on wasm (whole vectors); 7, 13 and 5 through JavaScript.
const shapes = [
  [2, 3, 7],
  [5, 13],
  [1, 96],
  [4, 2, 3, 5],
  [3, 5, 12],
  [37, 16],
]

describe('fused layer normalisation', () => {
  beforeAll(async () => {
    await useWasmBackend()
  })
  afterAll(stopHeapThreads)

  it.each(shapes.map((shape) => ({ shape })))(
    'output and gradients on $shape equal the tfjs ops on cpu and on wasm',
    async ({ shape }) => {
      await tf.setBackend('cpu')
      const expected = run(byOps, shape)
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend)
        const fused = run((x, w, b) => layerNormOp(x, w, b, eps), shape)
        fused.forEach((values, i) => expect(worstError(values, expected[i])).toBeLessThan(2e-6))
      }
    },
  )

  it('a row of constant values normalises to the bias', async () => {
    await tf.setBackend('cpu')
    const x = tf.fill([2, 8], 3.5)
    const w = tf.tensor1d(seededValues(8, 2))
    const b = tf.tensor1d(seededValues(8, 3))
    const y = layerNormOp(x, w, b, eps)
    expect(Array.from(y.dataSync())).toEqual([...b.dataSync(), ...b.dataSync()])
    tf.dispose([x, w, b, y])
  })

  it('splits rows and columns across threads with the bits of one thread', () => {
    const rows = 37
    const c = 12
    const heap = sharedHeap(4 * (6 * rows * c + 6 * rows + 6 * c) + 256)
    const take = (v: Float32Array) => {
      const a = heap.take(v.length)
      a.set(v)
      return a
    }
    const [x, dy] = [take(seededValues(rows * c, 1, 2)), take(seededValues(rows * c, 4))]
    const [w, b] = [take(seededValues(c, 2)), take(seededValues(c, 3))]
    const [y, mean, invStd, dx] = [heap.take(rows * c), heap.take(rows), heap.take(rows), heap.take(rows * c)]
    const [dw, db] = [heap.take(c), heap.take(c)]
    const results = [1, 2, 3].map((threads) => {
      const on = { memory: heap.memory, threads }
      runSplit(on, layerNormForwardRows, [x, w, b, y, mean, invStd], [eps], rows)
      runSplit(on, layerNormInputGradientRows, [dy, x, mean, invStd, w, dx], [], rows)
      runSplit(on, layerNormWeightGradientColumns, [dy, x, mean, invStd, dw, db], [c], c)
      return [y, mean, invStd, dx, dw, db].map((a) => Float32Array.from(a))
    })
    expect(results[0][0].some((v) => v !== 0)).toBe(true)
    expect(results[1]).toEqual(results[0])
    expect(results[2]).toEqual(results[0])
  })

  it('splits the WebAssembly passes across threads with the bits of one thread', () => {
    const rows = 37
    const c = 16
    const heap = sharedHeap(4 * (4 * rows * c + 4 * c + 12 * rows + 4 * c) + 256)
    const take = (v: Float32Array) => {
      const a = heap.take(v.length)
      a.set(v)
      return a
    }
    const [x, dy] = [take(seededValues(rows * c, 1, 2)), take(seededValues(rows * c, 4))]
    const [w, b] = [take(seededValues(c, 2)), take(seededValues(c, 3))]
    const [y, dx] = [heap.take(rows * c), heap.take(rows * c)]
    const [mean, invStd, dw, db] = [heap.take(rows), heap.take(rows), heap.take(c), heap.take(c)]
    // Sums as doubles: 8-byte aligned (every array above holds an even number of floats).
    const [sums, coefficients] = [heap.take(Math.max(8 * rows, 4 * c)), heap.take(2 * rows)]
    const module = new webAssembly.Module(layerNormModuleBytes(true))
    const wasm = {
      module,
      exports: new webAssembly.Instance(module, { env: { memory: heap.memory } }).exports as HeapExports,
    }
    const results = [1, 2, 3].map((threads) => {
      const on = { memory: heap.memory, threads }
      runSplit(on, layerNormForwardRowsWasm, [x, w, b, y, mean, invStd, sums], [eps, c], rows, wasm)
      const common = [dy, x, mean, invStd]
      runSplit(on, layerNormInputGradientRowsWasm, [...common, w, dx, sums, coefficients], [c], rows, wasm)
      runSplit(on, layerNormWeightGradientColumnsWasm, [...common, dw, db, sums], [c], c / 4, wasm)
      return [y, mean, invStd, dx, dw, db].map((a) => Float32Array.from(a))
    })
    expect(results[0][0].some((v) => v !== 0)).toBe(true)
    expect(results[1]).toEqual(results[0])
    expect(results[2]).toEqual(results[0])
  })
})
