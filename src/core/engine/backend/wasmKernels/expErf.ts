// Exp and Erf for wasm on our SIMD module (expErfWasm.ts), split across the backend's threads when large:
// GELU's erf forward and its gradient's exp, and every softmax and log-softmax, ran on the calling thread
// alone at 7–15 ns a float. Float32 only; other dtypes, and a heap we cannot reach, go to wasm's own kernels.
import { Erf, Exp, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { heapThreadsOf, runSplit, type SplitKernel } from '../heapThreads'
import { expErfModuleBytes } from './expErfWasm'
import { heapModule } from './heapModule'
import { heapFloat32, release, wrapWasmKernel, type BackendWasm } from './wasmKernelCall'

/** The module's functions, by the index a split passes to its helpers. */
const functions = ['exp', 'erf'] as const

/**
 * Blocks [from, to) of `block` vectors of 4 floats each (the last block may be short) through function
 * `which`. Shipped to helper threads as source (heapThreads.ts): only its arguments and globals. arrays:
 * [x, out]; params: [which, block, vectors].
 */
export const elementwiseBlocks: SplitKernel = (arrays, params, from, to, wasm) => {
  const [x, out] = arrays
  const [which, block, vectors] = params
  const first = from * block
  const end = Math.min(vectors, to * block)
  if (end <= first) return
  const f = which === 0 ? wasm!.exp : wasm!.erf
  f(x.byteOffset + 16 * first, out.byteOffset + 16 * first, end - first)
}

// Vectors per block: the unit a thread takes (64 KB of floats).
const blockVectors = 4096
// Erf's [3136, 384] (1.2 M floats) is about 1 ms on one thread; below 256 K floats a helper's wake-up is
// a fair part of the work.
const smallestThreadedElementwise = 1 << 18

function elementwiseConfig(kernelName: typeof Exp | typeof Erf): KernelConfig {
  const which = functions.indexOf(kernelName === Exp ? 'exp' : 'erf')
  return wrapWasmKernel(
    kernelName,
    (original) => (args: { inputs: { x: TensorInfo }; backend: BackendWasm }) => {
      const { inputs, backend } = args
      const { x } = inputs
      const size = util.sizeFromShape(x.shape)
      const wasm = x.dtype === 'float32' && size > 0 ? heapModule(backend, expErfModuleBytes) : null
      if (wasm == null) return original.kernelFunc(args as never)
      const out = backend.makeOutput(x.shape, 'float32')
      const vectors = size >> 2
      const tail = size - 4 * vectors
      // The last 1–3 floats go through the same code from a vector of 4 (zeros after them).
      const scratch = tail > 0 ? backend.makeOutput([8], 'float32') : null
      // Views after the last allocation: one may grow the heap.
      const xHeap = heapFloat32(backend, x)
      const outHeap = heapFloat32(backend, out)
      if (vectors > 0) {
        const on = size >= smallestThreadedElementwise ? heapThreadsOf(backend, size) : null
        const blocks = Math.ceil(vectors / blockVectors)
        runSplit(on, elementwiseBlocks, [xHeap, outHeap], [which, blockVectors, vectors], blocks, wasm)
      }
      if (scratch != null) {
        const s = heapFloat32(backend, scratch)
        s.fill(0)
        s.set(xHeap.subarray(4 * vectors))
        elementwiseBlocks([s.subarray(0, 4), s.subarray(4)], [which, 1, 1], 0, 1, wasm.exports)
        outHeap.set(s.subarray(4, 4 + tail), 4 * vectors)
        release(backend, scratch)
      }
      return out
    },
  )
}

export const expConfig = (): KernelConfig => elementwiseConfig(Exp)
export const erfConfig = (): KernelConfig => elementwiseConfig(Erf)
