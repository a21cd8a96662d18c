// The inner step of our copying kernels on the wasm heap (Tile, Transpose, SplitV and Unpack): one run of elements.
import type { HeapValues } from './wasmKernelCall'

/** out[dst, dst + length) = source[src, src + length): a block copy for long runs, a loop for short ones. */
export function copyRun(source: HeapValues, src: number, out: HeapValues, dst: number, length: number): void {
  if (length >= 64) out.set(source.subarray(src, src + length), dst)
  else for (let i = 0; i < length; i++) out[dst + i] = source[src + i]
}
