// Exp and Erf for wasm on our SIMD module (expErfWasm.ts), split across the backend's threads when large, through
// the runner GELU's kernels use too (elementwiseOnHeap; geluKernels.ts). GELU's erf forward and its gradient's exp, and every softmax and log-softmax, ran on the calling thread
// alone at 7–15 ns a float. Float32 only; other dtypes, and a heap we cannot reach, go to wasm's own kernels.
import { Erf, Exp, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { heapThreadsOf, runSplit, type SplitKernel } from '../heapThreads'
import { expErfModuleBytes } from './expErfWasm'
import { heapModule } from './heapModule'
import { heapFloat32, release, wrapWasmKernel, type BackendWasm } from './wasmKernelCall'

/** The module's functions, by the index a split passes to its helpers. */
const functions = ['exp', 'erf', 'gelu', 'geluGrad'] as const
export type ElementwiseFunction = (typeof functions)[number]

/**
 * Blocks [from, to) of `block` vectors of 4 floats each (the last block may be short) through function
 * `which`, whose arguments are a pointer into each array (inputs, then the output) and a vector count. Shipped
 * to helper threads as source (heapThreads.ts): only its arguments and globals. params: [which, block, vectors].
 */
export const elementwiseBlocks: SplitKernel = (arrays, params, from, to, wasm) => {
  const [which, block, vectors] = params
  const first = from * block
  const end = Math.min(vectors, to * block)
  if (end <= first) return
  // `functions` spelt out: a helper thread sees only this source.
  const f = wasm![['exp', 'erf', 'gelu', 'geluGrad'][which]]
  const args: number[] = []
  for (const a of arrays) args.push(a.byteOffset + 16 * first)
  args.push(end - first)
  f(...args)
}

// Vectors per block: the unit a thread takes (64 KB of floats).
const blockVectors = 4096
// Erf's [3136, 384] (1.2 M floats) is about 1 ms on one thread; below 256 K floats a helper's wake-up is
// a fair part of the work.
const smallestThreadedElementwise = 1 << 18

/**
 * The module's element-wise function `name` over float32 `inputs` of one shape into a new output: whole
 * vectors split across threads when large, the last 1–3 values through the same code from a zero-padded copy.
 * Null when the module cannot reach the heap.
 */
export function elementwiseOnHeap(
  backend: BackendWasm,
  name: ElementwiseFunction,
  inputs: TensorInfo[],
): TensorInfo | null {
  const wasm = heapModule(backend, expErfModuleBytes)
  if (wasm == null) return null
  const { shape } = inputs[0]
  const size = util.sizeFromShape(shape)
  const out = backend.makeOutput(shape, 'float32')
  const vectors = size >> 2
  const tail = size - 4 * vectors
  const scratch = tail > 0 ? backend.makeOutput([4 * (inputs.length + 1)], 'float32') : null
  // Views after the last allocation: one may grow the heap.
  const arrays = [...inputs, out].map((info) => heapFloat32(backend, info))
  const which = functions.indexOf(name)
  if (vectors > 0) {
    const on = size >= smallestThreadedElementwise ? heapThreadsOf(backend, size) : null
    const blocks = Math.ceil(vectors / blockVectors)
    runSplit(on, elementwiseBlocks, arrays, [which, blockVectors, vectors], blocks, wasm)
  }
  if (scratch != null) {
    const s = heapFloat32(backend, scratch)
    s.fill(0)
    const padded = arrays.map((_, i) => s.subarray(4 * i, 4 * i + 4))
    inputs.forEach((_, i) => padded[i].set(arrays[i].subarray(4 * vectors)))
    elementwiseBlocks(padded, [which, 1, 1], 0, 1, wasm.exports)
    arrays[inputs.length].set(padded[inputs.length].subarray(0, tail), 4 * vectors)
    release(backend, scratch)
  }
  return out
}

function elementwiseConfig(kernelName: typeof Exp | typeof Erf): KernelConfig {
  return wrapWasmKernel(
    kernelName,
    (original) => (args: { inputs: { x: TensorInfo }; backend: BackendWasm }) => {
      const { x } = args.inputs
      const out =
        x.dtype === 'float32' && util.sizeFromShape(x.shape) > 0
          ? elementwiseOnHeap(args.backend, kernelName === Exp ? 'exp' : 'erf', [x])
          : null
      return out ?? original.kernelFunc(args as never)
    },
  )
}

export const expConfig = (): KernelConfig => elementwiseConfig(Exp)
export const erfConfig = (): KernelConfig => elementwiseConfig(Erf)
