// Kernels split across helper threads: the BatchNorm kernels give bit for bit the one-thread results at
// 2 and 3 threads on a shared heap, whatever the channel count, and misuse is refused with a reason.
import { afterAll, describe, expect, it } from 'vitest'
import { createSeededRandom } from '../seededRandom'
import { batchNormBackwardChannels, batchNormForwardChannels } from './batchNormKernels'
import { runSplit, splitRanges, stopHeapThreads, type SplitKernel } from './heapThreads'
import { sharedHeap } from './fixtures/sharedHeap'

const eps = [1e-5]

function fill(a: Float32Array, seed: number, offset = 0): Float32Array {
  const random = createSeededRandom(seed)
  for (let i = 0; i < a.length; i++) a[i] = offset + (random.next() * 2 - 1) * (1 + seed)
  return a
}

/** Forward then backward on n rows of c channels, at the given thread count; returns every output. */
function run(rows: number, c: number, threads: number): Float32Array[] {
  const heap = sharedHeap(4 * (4 * rows * c + 8 * c) + 64)
  const x = fill(heap.take(rows * c), 1, 3)
  const weight = fill(heap.take(c), 2)
  const bias = fill(heap.take(c), 3)
  const dy = fill(heap.take(rows * c), 4)
  const [y, dx] = [heap.take(rows * c), heap.take(rows * c)]
  const [mean, variance, dWeight, dBias] = [heap.take(c), heap.take(c), heap.take(c), heap.take(c)]
  const on = { memory: heap.memory, threads }
  runSplit(on, batchNormForwardChannels, [x, weight, bias, y, mean, variance], eps, c)
  runSplit(on, batchNormBackwardChannels, [dy, x, mean, variance, weight, dx, dWeight, dBias], eps, c)
  return [y, mean, variance, dx, dWeight, dBias].map((a) => Float32Array.from(a))
}

describe('kernels split across helper threads', () => {
  afterAll(stopHeapThreads)

  it('splits indices into even whole ranges, never more ranges than indices', () => {
    expect(splitRanges(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ])
    expect(splitRanges(2, 4)).toEqual([
      [0, 1],
      [1, 2],
    ])
    expect(splitRanges(5, 1)).toEqual([[0, 5]])
  })

  it.each([
    [1000, 67],
    [333, 3],
    [64, 256],
  ])('BatchNorm on %i rows × %i channels: 2 and 3 threads equal 1 thread bit for bit', (rows, c) => {
    const one = run(rows, c, 1)
    // The single-thread path is the plain kernel: check it is not trivially zero.
    expect(one[1].some((v) => v !== 0)).toBe(true)
    expect(one[3].some((v) => v !== 0)).toBe(true)
    expect(run(rows, c, 2)).toEqual(one)
    expect(run(rows, c, 3)).toEqual(one)
  })

  it('the helpers really compute their channels (not left to the calling thread)', () => {
    // A kernel that writes which range it was given: the first range must come back filled by a helper.
    const marks: SplitKernel = (arrays, params, from, to) => {
      for (let k = from; k < to; k++) arrays[0][k] = from === 0 ? params[0] + params[1] : -1
    }
    const heap = sharedHeap(4 * 8)
    const out = heap.take(8)
    runSplit({ memory: heap.memory, threads: 2 }, marks, [out], [3, 4], 8)
    expect(Array.from(out)).toEqual([7, 7, 7, 7, -1, -1, -1, -1])
  })

  it('refuses an array that is not on the shared heap', () => {
    const heap = sharedHeap(4 * 8)
    expect(() =>
      runSplit({ memory: heap.memory, threads: 2 }, batchNormForwardChannels, [new Float32Array(8)], eps, 8),
    ).toThrow(/not on the shared heap/)
  })
})
