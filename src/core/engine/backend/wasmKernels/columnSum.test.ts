// Column sums (sum.ts with columnSumWasm.ts): every column added up in double precision row by row, bit for bit
// what a plain double loop gives, at 1, 2 and 3 threads, with column counts that leave 1–3 columns past the last
// whole vector and blocks split across threads. The Sum kernel on the wasm backend against tfjs's cpu one:
// wasmTrainingKernels.test.ts.
import { afterAll, describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../seededRandom'
import { sharedHeap } from '../fixtures/sharedHeap'
import { runSplit, stopHeapThreads, type HeapExports } from '../heapThreads'
import { webAssembly } from '../webAssemblyApi'
import { columnSumModuleBytes } from './columnSumWasm'
import { columnBlocks, sumColumnBlocks } from './sum'

/** out[o, k] = Σ_r x[o, r, k] of seeded values in [−4, 4) on a fresh shared heap at `threads` threads. */
function columnSums(outer: number, rows: number, inner: number, threads: number) {
  const { width, units } = columnBlocks({ outer, inner }, threads)
  const heap = sharedHeap(4 * (outer * rows * inner + outer * inner + 2 * units * width) + 64)
  const x = heap.take(outer * rows * inner)
  const random = createSeededRandom(outer * 1000 + inner)
  for (let i = 0; i < x.length; i++) x[i] = (random.next() * 2 - 1) * 4
  const out = heap.take(outer * inner)
  const accumulators = heap.take(2 * units * width)
  const module = new webAssembly.Module(columnSumModuleBytes(true))
  const wasm = {
    module,
    exports: new webAssembly.Instance(module, { env: { memory: heap.memory } }).exports as HeapExports,
  }
  runSplit(
    { memory: heap.memory, threads },
    sumColumnBlocks,
    [x, out, accumulators],
    [rows, inner, width],
    units,
    wasm,
  )
  return { x: Float32Array.from(x), out: Float32Array.from(out) }
}

describe('column sums in WebAssembly', () => {
  afterAll(stopHeapThreads)

  it.each([
    [1, 1000, 96],
    [3, 50, 7],
    [1, 7, 7203],
    [9, 20, 33],
    [2, 1, 5],
    [1, 300, 1],
  ])(
    '[%i, %i, %i] summed over the middle axis: a double loop bit for bit, at 1, 2 and 3 threads',
    (outer, rows, inner) => {
      const one = columnSums(outer, rows, inner, 1)
      const byHand = new Float32Array(outer * inner)
      for (let o = 0; o < outer; o++)
        for (let k = 0; k < inner; k++) {
          let sum = 0
          for (let r = 0; r < rows; r++) sum += one.x[(o * rows + r) * inner + k]
          byHand[o * inner + k] = sum
        }
      expect(one.out).toEqual(byHand)
      expect(one.out.some((v) => v !== 0)).toBe(true)
      expect(columnSums(outer, rows, inner, 2).out).toEqual(one.out)
      expect(columnSums(outer, rows, inner, 3).out).toEqual(one.out)
    },
  )

  it('splits one wide sum into blocks of whole vectors, about four per thread', () => {
    expect(columnBlocks({ outer: 1, inner: 7203 }, 2)).toEqual({ width: 960, units: 8 })
    expect(columnBlocks({ outer: 1, inner: 96 }, 2)).toEqual({ width: 64, units: 2 })
    expect(columnBlocks({ outer: 16, inner: 96 }, 2)).toEqual({ width: 96, units: 16 })
    expect(columnBlocks({ outer: 1, inner: 7203 }, 1)).toEqual({ width: 7203, units: 1 })
  })
})
