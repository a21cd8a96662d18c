// Sum for wasm over leading or middle axes. Its own kernel moves the summed axes innermost with a transpose
// first, element by element: a bias's gradient ([4, 224, 224, 96] → [96]) took 250 ms, and a Swin block's
// relative-position-bias gradient ([4, 64, 3, 49, 49] → [3, 49, 49]) 180 ms. Summed over leading axes the
// input is rows to add up column by column, four columns at a time in WebAssembly (columnSumWasm.ts: a bias
// gradient of [3136, 96] 1.14 → 0.13 ms, a ViT-B/16 one of [197, 3072] 2.2 → 0.2 ms on one thread), very
// large ones split across the backend's threads by blocks of columns; sums over the innermost axes (a
// LayerNorm's, a softmax's) stay with the original, which already reads them in order.
import { backend_util, Sum, util, type KernelConfig, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs'
import { heapThreadsOf, runSplit, type SplitKernel } from '../heapThreads'
import { columnSumModuleBytes } from './columnSumWasm'
import { heapModule } from './heapModule'
import { heapFloat32, release, wrapWasmKernel, type BackendWasm } from './wasmKernelCall'

/** A sum as [outer, rows, inner] with the rows summed, or null when it is not one (the original's cases). */
export function columnSumShape(
  shape: number[],
  axes: number[],
): { outer: number; rows: number; inner: number } | null {
  // Neighbouring axes of the same kind (summed or kept) merged; axes of size 1 are either.
  const groups: { size: number; summed: boolean }[] = []
  shape.forEach((size, axis) => {
    if (size === 1) return
    const summed = axes.includes(axis)
    const last = groups[groups.length - 1]
    if (last && last.summed === summed) last.size *= size
    else groups.push({ size, summed })
  })
  const kinds = groups.map((g) => (g.summed ? 'R' : 'K')).join('')
  if (kinds === 'RK') return { outer: 1, rows: groups[0].size, inner: groups[1].size }
  if (kinds === 'KRK') return { outer: groups[0].size, rows: groups[1].size, inner: groups[2].size }
  return null
}

/**
 * out[o, k] = Σ_r x[o, r, k], added up in double precision, for work indices [from, to): index i is block
 * i mod blocks of `width` columns of o = ⌊i / blocks⌋. Whole groups of four columns go to the module
 * (columnSumWasm.ts, `wasm`), with its double accumulators at `accumulators` + i·width doubles; the last
 * columns mod 4 are added up here the same way. Every column is added up row by row in the same order
 * whatever the blocks and threads, so any split gives the bits of one pass. Shipped to helper threads as
 * source (heapThreads.ts): only its arguments and globals. arrays: [x, out, accumulators]; params: [rows,
 * inner, width].
 */
export const sumColumnBlocks: SplitKernel = (arrays, params, from, to, wasm) => {
  const [source, out, accumulators] = arrays
  const [rows, inner, width] = params
  const blocks = Math.ceil(inner / width)
  for (let index = from; index < to; index++) {
    const o = Math.floor(index / blocks)
    const first = (index - o * blocks) * width
    const n = Math.min(width, inner - first)
    const vectors = n >> 2
    const start = o * rows * inner + first
    if (vectors > 0)
      wasm!.columnSums(
        source.byteOffset + 4 * start,
        out.byteOffset + 4 * (o * inner + first),
        accumulators.byteOffset + 8 * index * width,
        rows,
        vectors,
        4 * inner,
      )
    for (let k = 4 * vectors; k < n; k++) {
      let sum = 0
      for (let r = 0, at = start + k; r < rows; r++, at += inner) sum += source[at]
      out[o * inner + first + k] = sum
    }
  }
}

// Waking a helper costs more than these sums take now: a bias gradient of [12544, 96] took 0.34 ms on one
// thread and 0.58 ms on two, one of [16, 112, 112, 64] 5.6 and 3.4 ms (4 Dec): only sums above 4 M floats split.
const smallestThreadedSum = 1 << 22

/** How a column sum splits: blocks of `width` columns, `units` of them in all. */
export function columnBlocks(
  { outer, inner }: { outer: number; inner: number },
  threads: number,
): { width: number; units: number } {
  // One block of all columns per o on one thread, or when there are enough o's; else blocks of at least 64
  // columns (whole vectors, a few cache lines), about four per thread.
  const width =
    threads === 1 || outer >= 4 * threads ? inner : Math.max(64, 64 * Math.ceil(inner / (64 * 4 * threads)))
  return { width, units: outer * Math.ceil(inner / width) }
}

export function sumConfig(): KernelConfig {
  return wrapWasmKernel(
    Sum,
    (original) => (args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: SumAttrs }) => {
      const { inputs, backend, attrs } = args
      const { x } = inputs
      const axes = util.parseAxisParam(attrs.axis, x.shape)
      const columns = x.dtype === 'float32' ? columnSumShape(x.shape, axes) : null
      if (columns == null) return original.kernelFunc(args as never)
      const [kept] = backend_util.computeOutAndReduceShapes(x.shape, axes)
      const outShape = attrs.keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept
      const wasm = heapModule(backend, columnSumModuleBytes)
      if (wasm == null) return original.kernelFunc(args as never)
      const size = util.sizeFromShape(x.shape)
      const on = size >= smallestThreadedSum ? heapThreadsOf(backend, size) : null
      const { width, units } = columnBlocks(columns, on?.threads ?? 1)
      const out = backend.makeOutput(outShape, 'float32')
      // Room for each unit's double accumulators (two floats per column).
      const accumulators = backend.makeOutput([2 * units * width], 'float32')
      // Views after the last allocation: one may grow the heap.
      const arrays = [x, out, accumulators].map((t) => heapFloat32(backend, t))
      runSplit(on, sumColumnBlocks, arrays, [columns.rows, columns.inner, width], units, wasm)
      release(backend, accumulators)
      return out
    },
  )
}
