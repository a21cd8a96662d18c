// Helper threads for our per-channel JavaScript kernels (BatchNorm) on the multi-threaded wasm heap.
// XNNPACK runs convolutions and matmuls on its pthread pool, but kernels written in JS run on the calling
// thread alone: with 2 threads BatchNorm took as long as with 1 (3.7 s of a 14.4 s ResNet-50 step). The heap
// of the threaded build is one shared SharedHeap, so worker threads can read and write the tensors
// in place. A kernel whose channels are independent (its statistics and its output per channel need no other
// channel) is split by channel ranges: the helpers take the first ranges, the calling thread the last, then
// it waits for them. Each channel is computed by the same code in the same order on whichever thread, so
// the results are bit for bit those of one thread, at any thread count.
//
// The kernels are shipped to the workers as source (`fn.toString()`), so they must use only their arguments
// and the language's globals (Float64Array, Math): no imports, no module-level names.
import { Worker } from 'node:worker_threads'

/** The wasm backend's WebAssembly.Memory (shared in the threaded build); its buffer grows with the heap. */
export interface SharedHeap {
  readonly buffer: ArrayBufferLike
}

/** A channel-split kernel: works on channels [from, to) of its float32 arrays; `scalar` is e.g. BN's eps. */
export type ChannelKernel = (arrays: Float32Array[], scalar: number, from: number, to: number) => void

const maxArrays = 12
// Control block per helper: [requested job, finished job, failed] as Int32, then the job as Float64:
// [kernel index, scalar, from, to, array count, (byteOffset, length) × maxArrays].
const controlInts = 4
const jobFloats = 5 + 2 * maxArrays
// How long the calling thread waits for a helper before it gives up (a helper that died never answers).
const helperTimeoutMs = 120_000

interface Helper {
  worker: Worker
  ints: Int32Array
  job: Float64Array
  requested: number
}

interface Pool {
  memory: SharedHeap
  kernels: ChannelKernel[]
  helpers: Helper[]
}

function helperSource(kernels: ChannelKernel[]): string {
  return `
const { workerData } = require('node:worker_threads')
const kernels = [${kernels.map((k) => `(${k.toString()})`).join(',\n')}]
const { memory, control } = workerData
const ints = new Int32Array(control, 0, ${controlInts})
const job = new Float64Array(control, ${controlInts * 4}, ${jobFloats})
let seen = 0
for (;;) {
  Atomics.wait(ints, 0, seen)
  seen = Atomics.load(ints, 0)
  try {
    const buffer = memory.buffer
    const arrays = []
    for (let i = 0; i < job[4]; i++) arrays.push(new Float32Array(buffer, job[5 + 2 * i], job[6 + 2 * i]))
    kernels[job[0]](arrays, job[1], job[2], job[3])
    Atomics.store(ints, 2, 0)
  } catch (e) {
    Atomics.store(ints, 2, 1)
  }
  Atomics.store(ints, 1, seen)
  Atomics.notify(ints, 1)
}
`
}

function startHelper(memory: SharedHeap, kernels: ChannelKernel[]): Helper {
  const control = new SharedArrayBuffer(controlInts * 4 + jobFloats * 8)
  const worker = new Worker(helperSource(kernels), {
    eval: true,
    execArgv: [],
    workerData: { memory, control },
  })
  // Idle helpers sleep in Atomics.wait; they never keep the process alive.
  worker.unref()
  return {
    worker,
    ints: new Int32Array(control, 0, controlInts),
    job: new Float64Array(control, controlInts * 4, jobFloats),
    requested: 0,
  }
}

let pool: Pool | null = null

/** Stops the helpers (tests; a process that ends need not call it). */
export async function stopChannelThreads(): Promise<void> {
  const stopping = pool
  pool = null
  if (stopping) await Promise.all(stopping.helpers.map((h) => h.worker.terminate()))
}

function poolFor(memory: SharedHeap, kernels: ChannelKernel[], helpers: number): Pool {
  const same =
    pool != null &&
    pool.memory === memory &&
    pool.helpers.length === helpers &&
    pool.kernels.length === kernels.length &&
    pool.kernels.every((k, i) => k === kernels[i])
  if (!same) {
    void stopChannelThreads()
    pool = { memory, kernels, helpers: Array.from({ length: helpers }, () => startHelper(memory, kernels)) }
  }
  return pool as Pool
}

/** The channel ranges of `threads` threads over `channels`, as even as whole channels allow. */
export function channelRanges(channels: number, threads: number): [number, number][] {
  const parts = Math.max(1, Math.min(threads, channels))
  return Array.from({ length: parts }, (_, i) => [
    Math.floor((i * channels) / parts),
    Math.floor(((i + 1) * channels) / parts),
  ])
}

export interface ChannelSplit {
  /** The shared heap the arrays live on. */
  memory: SharedHeap
  /** Threads in all, the calling one included. */
  threads: number
  /** Every kernel that may be asked for (the same array object each call: it defines the helpers' code). */
  kernels: ChannelKernel[]
}

/**
 * Runs `kernels[index]` over `channels` channels, split between the calling thread and `threads − 1` helpers.
 * Every array must be a view on `memory`'s buffer.
 */
export function runChannelSplit(
  split: ChannelSplit,
  index: number,
  arrays: Float32Array[],
  scalar: number,
  channels: number,
): void {
  const kernel = split.kernels[index]
  const ranges = channelRanges(channels, split.threads)
  if (ranges.length === 1) return kernel(arrays, scalar, 0, channels)
  if (arrays.length > maxArrays) throw new Error(`channel split: at most ${maxArrays} arrays`)
  for (const a of arrays) {
    if (a.buffer !== split.memory.buffer) throw new Error('channel split: an array is not on the shared heap')
  }
  const { helpers } = poolFor(split.memory, split.kernels, split.threads - 1)
  const used = helpers.slice(0, ranges.length - 1)
  used.forEach((helper, i) => {
    const { job, ints } = helper
    job[0] = index
    job[1] = scalar
    job[2] = ranges[i][0]
    job[3] = ranges[i][1]
    job[4] = arrays.length
    arrays.forEach((a, j) => {
      job[5 + 2 * j] = a.byteOffset
      job[6 + 2 * j] = a.length
    })
    helper.requested = (helper.requested + 1) | 0
    Atomics.store(ints, 0, helper.requested)
    Atomics.notify(ints, 0)
  })
  const [from, to] = ranges[ranges.length - 1]
  kernel(arrays, scalar, from, to)
  for (const helper of used) {
    const { ints } = helper
    for (;;) {
      const finished = Atomics.load(ints, 1)
      if (finished === helper.requested) break
      if (Atomics.wait(ints, 1, finished, helperTimeoutMs) === 'timed-out') {
        throw new Error(`channel split: a helper thread did not answer within ${helperTimeoutMs / 1000} s`)
      }
    }
    if (Atomics.load(ints, 2) !== 0) throw new Error('channel split: a helper thread failed its share')
  }
}
