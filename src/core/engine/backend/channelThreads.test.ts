// Channel-split kernels on helper threads: the BatchNorm kernels give bit for bit the one-thread results at
// 2 and 3 threads on a shared heap, whatever the channel count, and misuse is refused with a reason.
import { afterAll, describe, expect, it } from 'vitest'
import { createSeededRandom } from '../seededRandom'
import { batchNormBackwardChannels, batchNormForwardChannels } from './batchNormKernels'
import { channelRanges, runChannelSplit, stopChannelThreads, type SharedHeap } from './channelThreads'

const kernels = [batchNormForwardChannels, batchNormBackwardChannels]
const eps = 1e-5

/** A shared heap the size of a few test tensors, and arrays carved out of it one after another. */
function sharedHeap(bytes: number): { memory: SharedHeap; take(length: number): Float32Array } {
  const Memory = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => SharedHeap } })
    .WebAssembly.Memory
  const pages = Math.ceil(bytes / 65536)
  const memory = new Memory({ initial: pages, maximum: pages, shared: true })
  let used = 0
  return {
    memory,
    take(length) {
      const view = new Float32Array(memory.buffer, used, length)
      used += length * 4
      return view
    },
  }
}

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
  const split = { memory: heap.memory, threads, kernels }
  runChannelSplit(split, 0, [x, weight, bias, y, mean, variance], eps, c)
  runChannelSplit(split, 1, [dy, x, mean, variance, weight, dx, dWeight, dBias], eps, c)
  return [y, mean, variance, dx, dWeight, dBias].map((a) => Float32Array.from(a))
}

describe('channel-split kernels on helper threads', () => {
  afterAll(stopChannelThreads)

  it('splits channels into even whole ranges, never more ranges than channels', () => {
    expect(channelRanges(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ])
    expect(channelRanges(2, 4)).toEqual([
      [0, 1],
      [1, 2],
    ])
    expect(channelRanges(5, 1)).toEqual([[0, 5]])
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
    const marks: typeof batchNormForwardChannels = (arrays, scalar, from, to) => {
      for (let k = from; k < to; k++) arrays[0][k] = from === 0 ? scalar : -1
    }
    const heap = sharedHeap(4 * 8)
    const out = heap.take(8)
    runChannelSplit({ memory: heap.memory, threads: 2, kernels: [marks] }, 0, [out], 7, 8)
    expect(Array.from(out)).toEqual([7, 7, 7, 7, -1, -1, -1, -1])
  })

  it('refuses an array that is not on the shared heap', () => {
    const heap = sharedHeap(4 * 8)
    expect(() =>
      runChannelSplit({ memory: heap.memory, threads: 2, kernels }, 0, [new Float32Array(8)], eps, 8),
    ).toThrow(/not on the shared heap/)
  })
})
