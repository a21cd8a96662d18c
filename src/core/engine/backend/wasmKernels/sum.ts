// Sum for wasm over leading or middle axes. Its own kernel moves the summed axes innermost with a transpose
// first, element by element: a bias's gradient ([4, 224, 224, 96] → [96]) took 250 ms, and a Swin block's
// relative-position-bias gradient ([4, 64, 3, 49, 49] → [3, 49, 49]) 180 ms. Summed over leading axes the
// input is rows to add up column by column; sums over the innermost axes (a LayerNorm's, a
// softmax's) stay with the original, which already reads them in order.
import { backend_util, Sum, util, type KernelConfig, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs'
import { heapFloat32, wrapWasmKernel, type BackendWasm } from './wasmKernelCall'

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

/** out[o, k] = Σ_r x[o, r, k], added up in double precision. */
export function sumColumns(
  source: Float32Array,
  out: Float32Array,
  outer: number,
  rows: number,
  inner: number,
): void {
  const column = new Float64Array(inner)
  for (let o = 0; o < outer; o++) {
    column.fill(0)
    for (let r = 0, at = o * rows * inner; r < rows; r++, at += inner) {
      for (let k = 0; k < inner; k++) column[k] += source[at + k]
    }
    for (let k = 0; k < inner; k++) out[o * inner + k] = column[k]
  }
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
      const out = backend.makeOutput(outShape, 'float32')
      sumColumns(
        heapFloat32(backend, x),
        heapFloat32(backend, out),
        columns.outer,
        columns.rows,
        columns.inner,
      )
      return out
    },
  )
}
