// Helper threads for our JavaScript kernels on the multi-threaded wasm heap. XNNPACK runs convolutions and
// matmuls on its pthread pool, but kernels written in JS (BatchNorm, im2col, col2im) run on the calling
// thread alone: with 2 threads BatchNorm took as long as with 1 (3.7 s of a 14.4 s ResNet-50 step). The heap
// of the threaded build is one shared WebAssembly.Memory, so worker threads can read and write the tensors in
// place. A kernel whose work splits into independent ranges of one index (BatchNorm's channels, im2col's
// patch rows) runs the first ranges on helpers and the last on the calling thread, which then waits for
// them. Each index is computed by the same code in the same order on whichever thread, so the results are bit
// for bit those of one thread, at any thread count.
//
// The kernels are shipped to the workers as source (`fn.toString()`), so they must use only their arguments
// and the language's globals (Float64Array, Math): no imports, no module-level names. A kernel that calls a
// WebAssembly module of ours (the matrix product's, gemmWasm.ts) names it in runSplit; each helper
// instantiates the compiled module on the same shared memory and hands its exports to the kernel.
import type { Worker } from 'node:worker_threads'
import type { WasmModule } from './webAssemblyApi'

type WorkerThreads = typeof import('node:worker_threads')

/**
 * Node's worker_threads, looked up at run time rather than imported: the training kernels are also bundled
 * for the browser (the WebGPU/WebGL equivalence page), where there are no helper threads and this is null.
 */
function workerThreads(): WorkerThreads | null {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  return (node?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined) ?? null
}

/** The wasm backend's WebAssembly.Memory (shared in the threaded build); its buffer grows with the heap. */
export interface SharedHeap {
  readonly buffer: ArrayBufferLike
}

/** A WebAssembly module's exported functions, as a kernel calls them. */
export type HeapExports = Record<string, (...args: number[]) => unknown>

/**
 * A kernel that splits: does indices [from, to) of its work on its float32 arrays; `params` are its numbers
 * (BatchNorm's eps, a convolution's sizes); `wasm` the exports of the module named in runSplit, if any.
 */
export type SplitKernel = (
  arrays: Float32Array[],
  params: number[],
  from: number,
  to: number,
  wasm: HeapExports | null,
) => void

/** A compiled module importing the heap as env.memory, and its instance on the calling thread. */
export interface HeapModule {
  module: WasmModule
  exports: HeapExports
}

const maxArrays = 12
const maxParams = 24
// Control block per helper: [requested job, finished job, failed] as Int32, then the job as Float64:
// [kernel index, from, to, array count, param count, module index (−1: none), (byteOffset, length) ×
// maxArrays, params].
const controlInts = 4
const jobHeader = 6
const jobFloats = jobHeader + 2 * maxArrays + maxParams
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
  kernels: SplitKernel[]
  modules: WasmModule[]
  helpers: Helper[]
}

function helperSource(kernels: SplitKernel[]): string {
  return `
const { workerData } = require('node:worker_threads')
const kernels = [${kernels.map((k) => `(${k.toString()})`).join(',\n')}]
const { memory, control, modules } = workerData
const instances = modules.map((m) => new WebAssembly.Instance(m, { env: { memory } }).exports)
const ints = new Int32Array(control, 0, ${controlInts})
const job = new Float64Array(control, ${controlInts * 4}, ${jobFloats})
let seen = 0
for (;;) {
  Atomics.wait(ints, 0, seen)
  seen = Atomics.load(ints, 0)
  try {
    const buffer = memory.buffer
    const arrays = []
    for (let i = 0; i < job[3]; i++) {
      arrays.push(new Float32Array(buffer, job[${jobHeader} + 2 * i], job[${jobHeader + 1} + 2 * i]))
    }
    const params = Array.from(job.subarray(${jobHeader + 2 * maxArrays}, ${jobHeader + 2 * maxArrays} + job[4]))
    kernels[job[0]](arrays, params, job[1], job[2], job[5] >= 0 ? instances[job[5]] : null)
    Atomics.store(ints, 2, 0)
  } catch (e) {
    Atomics.store(ints, 2, 1)
  }
  Atomics.store(ints, 1, seen)
  Atomics.notify(ints, 1)
}
`
}

function startHelper(memory: SharedHeap, kernels: SplitKernel[], modules: WasmModule[]): Helper {
  const control = new SharedArrayBuffer(controlInts * 4 + jobFloats * 8)
  const threads = workerThreads()
  if (threads == null) throw new Error('heap threads: no worker_threads here')
  const worker = new threads.Worker(helperSource(kernels), {
    eval: true,
    execArgv: [],
    workerData: { memory, control, modules },
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
export async function stopHeapThreads(): Promise<void> {
  const stopping = pool
  pool = null
  if (stopping) await Promise.all(stopping.helpers.map((h) => h.worker.terminate()))
}

/**
 * The helpers for this heap and count, knowing `kernel` (and `module`). A kernel or module they were not
 * started with restarts them with it added: once per kernel and process, as each kernel first runs.
 */
function poolFor(
  memory: SharedHeap,
  kernel: SplitKernel,
  module: WasmModule | null,
  helpers: number,
): { pool: Pool; index: number; moduleIndex: number } {
  let current = pool
  if (
    current == null ||
    current.memory !== memory ||
    current.helpers.length !== helpers ||
    !current.kernels.includes(kernel) ||
    (module != null && !current.modules.includes(module))
  ) {
    const same = current != null && current.memory === memory
    const kernels = same ? [...current!.kernels] : []
    const modules = same ? [...current!.modules] : []
    if (!kernels.includes(kernel)) kernels.push(kernel)
    if (module != null && !modules.includes(module)) modules.push(module)
    void stopHeapThreads()
    current = {
      memory,
      kernels,
      modules,
      helpers: Array.from({ length: helpers }, () => startHelper(memory, kernels, modules)),
    }
    pool = current
  }
  return {
    pool: current,
    index: current.kernels.indexOf(kernel),
    moduleIndex: module == null ? -1 : current.modules.indexOf(module),
  }
}

interface ThreadedWasm {
  wasm: { wasmMemory?: SharedHeap; tfjs?: { getThreadsCount(): number } }
}

// Below ~64 K floats a pass over them takes about as long as waking a helper.
const smallestSplit = 1 << 16

/**
 * The wasm backend's heap and thread count when it is the threaded build on shared memory and `floats` is
 * worth splitting; else null (one thread, the cpu backend, or a small tensor).
 */
export function heapThreadsOf(backend: unknown, floats: number): HeapThreads | null {
  if (floats < smallestSplit) return null
  const wasm = (backend as Partial<ThreadedWasm>).wasm
  const memory = wasm?.wasmMemory
  const threads = wasm?.tfjs?.getThreadsCount() ?? 1
  if (memory == null || threads < 2 || workerThreads() == null) return null
  if (typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer)) return null
  return { memory, threads }
}

/** The ranges of `threads` threads over indices [0, count), as even as whole indices allow. */
export function splitRanges(count: number, threads: number): [number, number][] {
  const parts = Math.max(1, Math.min(threads, count))
  return Array.from({ length: parts }, (_, i) => [
    Math.floor((i * count) / parts),
    Math.floor(((i + 1) * count) / parts),
  ])
}

/** Where a split runs: the shared heap its arrays live on and the threads in all, the calling one included. */
export interface HeapThreads {
  memory: SharedHeap
  threads: number
}

/**
 * Runs `kernel` over indices [0, count), split between the calling thread and `threads − 1` helpers. Every
 * array must be a view on the heap's buffer. With one thread (or `on` null) it is a plain call. `wasm`: the
 * module the kernel calls (each thread gets its own instance of it on the heap).
 */
export function runSplit(
  on: HeapThreads | null,
  kernel: SplitKernel,
  arrays: Float32Array[],
  params: number[],
  count: number,
  wasm: HeapModule | null = null,
): void {
  const ranges = splitRanges(count, on?.threads ?? 1)
  if (on == null || ranges.length === 1) return kernel(arrays, params, 0, count, wasm?.exports ?? null)
  if (arrays.length > maxArrays) throw new Error(`heap threads: at most ${maxArrays} arrays`)
  if (params.length > maxParams) throw new Error(`heap threads: at most ${maxParams} numbers`)
  for (const a of arrays) {
    if (a.buffer !== on.memory.buffer) throw new Error('heap threads: an array is not on the shared heap')
  }
  const {
    pool: current,
    index,
    moduleIndex,
  } = poolFor(on.memory, kernel, wasm?.module ?? null, on.threads - 1)
  const used = current.helpers.slice(0, ranges.length - 1)
  used.forEach((helper, i) => {
    const { job, ints } = helper
    job[0] = index
    job[1] = ranges[i][0]
    job[2] = ranges[i][1]
    job[3] = arrays.length
    job[4] = params.length
    job[5] = moduleIndex
    arrays.forEach((a, j) => {
      job[jobHeader + 2 * j] = a.byteOffset
      job[jobHeader + 1 + 2 * j] = a.length
    })
    job.set(params, jobHeader + 2 * maxArrays)
    helper.requested = (helper.requested + 1) | 0
    Atomics.store(ints, 0, helper.requested)
    Atomics.notify(ints, 0)
  })
  const [from, to] = ranges[ranges.length - 1]
  kernel(arrays, params, from, to, wasm?.exports ?? null)
  for (const helper of used) {
    const { ints } = helper
    for (;;) {
      const finished = Atomics.load(ints, 1)
      if (finished === helper.requested) break
      if (Atomics.wait(ints, 1, finished, helperTimeoutMs) === 'timed-out') {
        throw new Error(`heap threads: a helper thread did not answer within ${helperTimeoutMs / 1000} s`)
      }
    }
    if (Atomics.load(ints, 2) !== 0) throw new Error('heap threads: a helper thread failed its share')
  }
}
