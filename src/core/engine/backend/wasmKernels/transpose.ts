// Transpose for wasm. Its own kernel has fast paths up to rank 4 but works out every element's source index
// one by one above that: the head split of a ViT or Swin block ([b, n, 3, heads, d] → [3, b, heads, n, d])
// took 110 ms for 4 images of 197 tokens, in the forward and again in the backward of every block, and
// Swin's window partition and reverse are rank 6. This one first drops axes of size 1 and merges axes that
// stay neighbours; what is then rank 4 or less goes to the original, the rest is copied here in whole runs
// along the output's innermost axis.
import { Transpose, util, type KernelConfig, type TensorInfo, type TransposeAttrs } from '@tensorflow/tfjs'
import { copyRun } from './copyRun'
import {
  copyable,
  heapValues,
  withShape,
  wrapWasmKernel,
  type BackendWasm,
  type HeapValues,
} from './wasmKernelCall'

/** The original kernel's fast paths reach this rank. */
const ORIGINAL_FAST_RANK = 4

/**
 * The same transpose on fewer axes: axes of size 1 dropped, and axes that are neighbours in the input and
 * stay neighbours, in the same order, in the output merged into one. Moves the same elements to the same
 * places.
 */
export function coalesceTranspose(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  const kept = perm.filter((axis) => shape[axis] !== 1)
  // Runs of input axes that follow each other in the output: each becomes one axis.
  const runs: number[][] = []
  for (const axis of kept) {
    const run = runs[runs.length - 1]
    if (run && run[run.length - 1] + 1 === axis) run.push(axis)
    else runs.push([axis])
  }
  const inInputOrder = [...runs].sort((a, b) => a[0] - b[0])
  return {
    shape: inInputOrder.map((run) => util.sizeFromShape(run.map((axis) => shape[axis]))),
    perm: runs.map((run) => inInputOrder.indexOf(run)),
  }
}

/** Writes `source` of `shape` transposed by `perm` into `out`, a run along the output's last axis at a time. */
export function transposeInto(source: HeapValues, out: HeapValues, shape: number[], perm: number[]): void {
  const rank = shape.length
  if (rank <= 1) {
    out.set(source.subarray(0, out.length))
    return
  }
  const strides = new Array<number>(rank)
  for (let axis = rank - 1, stride = 1; axis >= 0; axis--) {
    strides[axis] = stride
    stride *= shape[axis]
  }
  const outShape = perm.map((axis) => shape[axis])
  const run = outShape[rank - 1]
  const runStride = strides[perm[rank - 1]]
  const outer = rank - 1
  const sourceStep = perm.slice(0, outer).map((axis) => strides[axis])
  const outerCount = util.sizeFromShape(outShape.slice(0, outer))
  const counter = new Array<number>(outer).fill(0)
  let src = 0
  for (let q = 0, dst = 0; q < outerCount; q++, dst += run) {
    if (runStride === 1) copyRun(source, src, out, dst, run)
    else for (let i = 0; i < run; i++) out[dst + i] = source[src + i * runStride]
    // Odometer over the output's outer axes, moving the source offset with it.
    for (let axis = outer - 1; axis >= 0; axis--) {
      src += sourceStep[axis]
      if (++counter[axis] < outShape[axis]) break
      counter[axis] = 0
      src -= outShape[axis] * sourceStep[axis]
    }
  }
}

export function transposeConfig(): KernelConfig {
  return wrapWasmKernel(
    Transpose,
    (original) => (args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: TransposeAttrs }) => {
      const { inputs, backend, attrs } = args
      const { x } = inputs
      if (!copyable(x)) return original.kernelFunc(args as never)
      const outShape = attrs.perm.map((axis) => x.shape[axis])
      const merged = coalesceTranspose(x.shape, attrs.perm)
      if (merged.shape.length >= 2 && merged.shape.length <= ORIGINAL_FAST_RANK) {
        const out = original.kernelFunc({
          ...args,
          inputs: { x: withShape(x, merged.shape) },
          attrs: { perm: merged.perm },
        } as never) as TensorInfo
        return withShape(out, outShape)
      }
      const out = backend.makeOutput(outShape, x.dtype)
      transposeInto(heapValues(backend, x), heapValues(backend, out), merged.shape, merged.perm)
      return out
    },
  )
}
