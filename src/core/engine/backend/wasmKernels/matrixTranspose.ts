// Matrices transposed on the wasm heap in 4 × 4 tiles (matrixTransposeWasm.ts), a strip of 16 source rows
// at a time, split across the backend's threads when large: Transpose of a matrix or of a batch of them
// (transpose.ts) and the filter gradient's channel-major copy of x (conv2DBackpropFilter.ts).
import { heapThreadsOf, runSplit, type SplitKernel } from '../heapThreads'
import { heapModule } from './heapModule'
import { matrixTransposeModuleBytes } from './matrixTransposeWasm'
import type { BackendWasm, HeapValues } from './wasmKernelCall'

// Source rows per unit of work: 4 tile rows, so each output row gets a whole cache line per tile column.
const stripRows = 16

/**
 * Strips [from, to) of `batch` matrices of rows × cols (index = matrix · strips + strip): out[m][c][r] =
 * source[m][r][c]. Whole 4 × 4 tiles in WebAssembly, the last rows and columns (fewer than 4) a value at a
 * time. Shipped to helper threads as source (heapThreads.ts): only its arguments and globals. arrays:
 * [source, out] (any 4-byte type); params: [rows, cols, strips].
 */
export const transposeStrips: SplitKernel = (arrays, params, from, to, wasm) => {
  // Int32 views: the values a float at a time copied as bits, whatever their type.
  const source = new Int32Array(arrays[0].buffer, arrays[0].byteOffset, arrays[0].length)
  const out = new Int32Array(arrays[1].buffer, arrays[1].byteOffset, arrays[1].length)
  const [rows, cols, strips] = params
  const vectors = cols >> 2
  for (let i = from; i < to; i++) {
    const m = Math.floor(i / strips)
    const r0 = (i - m * strips) * 16
    const r1 = Math.min(rows, r0 + 16)
    const groups = (r1 - r0) >> 2
    const base = m * rows * cols
    if (groups > 0 && vectors > 0) {
      wasm!.transposeTiles(
        source.byteOffset + 4 * (base + r0 * cols),
        out.byteOffset + 4 * (base + r0),
        groups,
        vectors,
        4 * cols,
        4 * rows,
      )
    }
    const tiled = r0 + 4 * groups
    for (let r = r0; r < r1; r++) {
      for (let c = r < tiled ? 4 * vectors : 0; c < cols; c++) {
        out[base + c * rows + r] = source[base + r * cols + c]
      }
    }
  }
}

// Below 1 M values a helper's wake-up is a fair part of the copy.
const smallestThreadedTranspose = 1 << 20

/**
 * out[m] = source[m]ᵀ for `batch` matrices of rows × cols, views on the heap of 4-byte values. False (nothing
 * written) when our module cannot reach the heap.
 */
export function transposeMatrices(
  backend: BackendWasm,
  source: HeapValues,
  out: HeapValues,
  dims: { batch: number; rows: number; cols: number },
): boolean {
  const { batch, rows, cols } = dims
  const wasm = heapModule(backend, matrixTransposeModuleBytes)
  if (wasm == null) return false
  const size = batch * rows * cols
  if (size === 0) return true
  const strips = Math.ceil(rows / stripRows)
  const on = size >= smallestThreadedTranspose ? heapThreadsOf(backend, size) : null
  runSplit(
    on,
    transposeStrips,
    [source as Float32Array, out as Float32Array],
    [rows, cols, strips],
    batch * strips,
    wasm,
  )
  return true
}
