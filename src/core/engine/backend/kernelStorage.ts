// Where our JavaScript kernels (batch and layer normalisation) read and write tensors: the pure-JS cpu
// backend's arrays, or the wasm heap in place (no copies), where work splits across the threaded build's
// helper threads (heapThreads.ts).
import type { TensorInfo } from '@tensorflow/tfjs'
import { heapThreadsOf, runSplit, type HeapModule, type SplitKernel } from './heapThreads'
import type { BackendWasm } from './wasmKernels/wasmKernelCall'

export interface KernelStorage {
  /** A float32 tensor's values (on wasm: take views after every output exists; an allocation may move the heap). */
  read(info: TensorInfo): Float32Array
  /** Makes a float32 output. */
  make(shape: number[]): TensorInfo
  /**
   * Runs a kernel over indices [0, count) (on the wasm heap of the threaded build: split across threads when
   * the first array holds `smallestSplit` floats or more), with the exports of `wasm` when given (wasm only).
   */
  run(
    kernel: SplitKernel,
    arrays: Float32Array[],
    params: number[],
    count: number,
    options?: { wasm?: HeapModule; smallestSplit?: number },
  ): void
}

function checkFloat(info: TensorInfo, kernel: string): void {
  if (info.dtype !== 'float32') throw new Error(`${kernel} kernel: expected float32, got ${info.dtype}`)
}

function wasmStorage(backend: BackendWasm, kernel: string): KernelStorage {
  return {
    read: (info) => {
      checkFloat(info, kernel)
      return backend.typedArrayFromHeap(info) as Float32Array
    },
    make: (shape) => backend.makeOutput(shape, 'float32'),
    run: (split, arrays, params, count, options) => {
      const floats = arrays[0].length
      const on = floats >= (options?.smallestSplit ?? 0) ? heapThreadsOf(backend, floats) : null
      runSplit(on, split, arrays, params, count, options?.wasm)
    },
  }
}

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } }
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo
}

function cpuStorage(backend: CpuBackend, kernel: string): KernelStorage {
  return {
    read: (info) => {
      checkFloat(info, kernel)
      return backend.data.get(info.dataId).values
    },
    make: (shape) =>
      backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((p, q) => p * q, 1))),
    run: (split, arrays, params, count) => split(arrays, params, 0, count, null),
  }
}

/** The storage of a kernel call on `backendName` (`kernel` names it in errors). */
export function kernelStorage(backendName: 'cpu' | 'wasm', backend: unknown, kernel: string): KernelStorage {
  return backendName === 'wasm'
    ? wasmStorage(backend as BackendWasm, kernel)
    : cpuStorage(backend as CpuBackend, kernel)
}
