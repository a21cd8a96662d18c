// How our wasm kernels talk to the wasm backend: typed views on its heap and calls into its own kernels.
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'

export type { BackendWasm }

/**
 * A float32 view on a tensor's bytes in the wasm heap. Take it AFTER the last `makeOutput` of the kernel:
 * an allocation may grow the heap, which detaches earlier views.
 */
export function heapFloat32(backend: BackendWasm, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`wasm training kernel: expected float32, got ${info.dtype}`)
  return backend.typedArrayFromHeap(info) as Float32Array
}

/** What our copying kernels (Tile, Transpose, Unpack) move as it is: numbers of any width. */
export type HeapValues = Float32Array | Int32Array | Uint8Array

/** The dtypes our copying kernels take; string and complex64 tensors stay with wasm's own kernels. */
export function copyable(info: TensorInfo): boolean {
  return info.dtype !== 'string' && info.dtype !== 'complex64'
}

/** A view on a numeric tensor's elements in the wasm heap. Take it after the kernel's last `makeOutput`. */
export function heapValues(backend: BackendWasm, info: TensorInfo): HeapValues {
  return backend.typedArrayFromHeap(info) as HeapValues
}

/** The same bytes under another shape (no copy, no new reference: do not dispose it separately). */
export function withShape(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype }
}

/** Runs one of the wasm backend's registered kernels (or an original we wrapped) on tensor infos. */
export function callWasmKernel(
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
  backend: BackendWasm,
  kernelFunc = getKernel(kernelName, 'wasm')?.kernelFunc,
): TensorInfo {
  if (kernelFunc == null) throw new Error(`wasm backend has no kernel '${kernelName}'`)
  const out = kernelFunc({ inputs, attrs, backend })
  if (Array.isArray(out)) throw new Error(`wasm kernel '${kernelName}' returned several outputs`)
  return out
}

export function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length
  const perm = [...Array(rank).keys()]
  perm[rank - 2] = rank - 1
  perm[rank - 1] = rank - 2
  return callWasmKernel('Transpose', { x }, { perm }, backend)
}

export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId)
}

/**
 * Our stand-in for one of the wasm backend's kernels, built around its original (which it calls for what it
 * does not do better). Registered twice, it wraps once: when the registered kernel is ours already, that is
 * returned as it is.
 */
export function wrapWasmKernel<Args>(
  kernelName: string,
  build: (original: KernelConfig) => (args: Args) => TensorInfo | TensorInfo[],
): KernelConfig {
  const original = getKernel(kernelName, 'wasm')
  if (original == null) throw new Error(`wasm backend has no kernel '${kernelName}' to wrap`)
  if ((original as { wrapsOriginal?: boolean }).wrapsOriginal) return original
  return {
    kernelName,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    kernelFunc: build(original) as unknown as KernelFunc,
    wrapsOriginal: true,
    // Kept for tests that show why ours exists (cropAndResize.test.ts).
    original,
  } as KernelConfig
}

/** The wasm backend's own kernel that `wrapped` (from wrapWasmKernel) stands in for. */
export function originalKernel(wrapped: KernelConfig): KernelConfig {
  const original = (wrapped as { original?: KernelConfig }).original
  if (original == null) throw new Error(`${wrapped.kernelName} is not one of our wrapped kernels`)
  return original
}
