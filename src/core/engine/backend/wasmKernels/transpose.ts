// Transpose for wasm. Its own kernel has fast paths up to rank 4 but works out every element's source index
// one by one above that: the head split of a ViT or Swin block ([b, n, 3, heads, d] → [3, b, heads, n, d])
// took 110 ms for 4 images of 197 tokens, in the forward and again in the backward of every block, and
// Swin's window partition and reverse are rank 6. This one first drops axes of size 1 and merges axes that
// stay neighbours. Then an innermost axis that stays innermost, whole vectors of 4-byte values long, is copied
// a block of rows at a time in WebAssembly (copyRowsWasm.ts: a Swin stage-1 head split, [64, 49, 3, 3, 32] →
// [3, 64, 3, 49, 32], took 56 ms in the original and 2.6 ms in runs in JavaScript, and takes 0.2 ms);
// a matrix or a batch of them is transposed in 4 × 4 tiles (matrixTranspose.ts: [100352, 96] 58 → 7.4 ms);
// otherwise rank 4 or less goes to the original and the rest is copied here in runs along the innermost axis.
import { Transpose, util, type KernelConfig, type TensorInfo, type TransposeAttrs } from '@tensorflow/tfjs'
import { copyRowsModuleBytes } from './copyRowsWasm'
import { copyRun } from './copyRun'
import { heapModule } from './heapModule'
import { transposeMatrices } from './matrixTranspose'
import {
  copyable,
  heapValues,
  release,
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

/** Each axis's stride in elements, the last axis's 1. */
function rowMajorStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length)
  for (let axis = shape.length - 1, stride = 1; axis >= 0; axis--) {
    strides[axis] = stride
    stride *= shape[axis]
  }
  return strides
}

/** Writes `source` of `shape` transposed by `perm` into `out`, a run along the output's last axis at a time. */
export function transposeInto(source: HeapValues, out: HeapValues, shape: number[], perm: number[]): void {
  const rank = shape.length
  if (rank <= 1) {
    out.set(source.subarray(0, out.length))
    return
  }
  const strides = rowMajorStrides(shape)
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

/** The source offset of every index of an output `shape` in order, `sourceStep` elements per step of each axis. */
function* outerOffsets(shape: number[], sourceStep: number[]): Generator<number> {
  const counter = new Array<number>(shape.length).fill(0)
  const count = util.sizeFromShape(shape)
  let src = 0
  for (let q = 0; q < count; q++) {
    yield src
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      src += sourceStep[axis]
      if (++counter[axis] < shape[axis]) break
      counter[axis] = 0
      src -= shape[axis] * sourceStep[axis]
    }
  }
}

/**
 * The transpose as a batch of matrix transposes ([rows, cols] → [cols, rows], or the last two axes of rank
 * 3), of 4-byte values, at least one 4 × 4 tile each; else null.
 */
function matricesOf(
  shape: number[],
  perm: number[],
  dtype: string,
): { batch: number; rows: number; cols: number } | null {
  if (dtype !== 'float32' && dtype !== 'int32') return null
  const [batch, rows, cols] = shape.length === 2 ? [1, ...shape] : shape
  const swapsLastTwo =
    (shape.length === 2 && perm[0] === 1) || (shape.length === 3 && perm[0] === 0 && perm[1] === 2)
  return swapsLastTwo && rows >= 4 && cols >= 4 ? { batch, rows, cols } : null
}

const smallestRowBlock = 512

/**
 * Whether the transpose can go as blocks of rows (transposeRows): rank ≥ 3, 4-byte values, and the innermost
 * axis stays innermost, whole vectors long.
 */
function copiesRows(shape: number[], perm: number[], dtype: string): boolean {
  const rank = shape.length
  return (
    rank >= 3 &&
    (dtype === 'float32' || dtype === 'int32') &&
    perm[rank - 1] === rank - 1 &&
    shape[rank - 1] % 4 === 0 &&
    // Smaller blocks cost more in calls than they save: heads merged back, [64, 3, 49, 32] → [64, 49, 3, 32]
    // (blocks of 3 × 32), took 157 µs so against the original's 99.
    shape[perm[rank - 2]] * shape[rank - 1] >= smallestRowBlock
  )
}

/** The transpose as blocks of rows (the output's last two axes), each copied by `copyRows`. */
function transposeRows(
  copyRows: (source: number, out: number, rows: number, vectors: number, stride: number) => unknown,
  source: HeapValues,
  out: HeapValues,
  shape: number[],
  perm: number[],
): void {
  const rank = shape.length
  const run = shape[rank - 1]
  const strides = rowMajorStrides(shape)
  const outShape = perm.map((axis) => shape[axis])
  const rows = outShape[rank - 2]
  const rowStride = strides[perm[rank - 2]]
  let dst = out.byteOffset
  const steps = perm.slice(0, rank - 2).map((axis) => strides[axis])
  for (const src of outerOffsets(outShape.slice(0, rank - 2), steps)) {
    copyRows(source.byteOffset + 4 * src, dst, rows, run / 4, 4 * rowStride)
    dst += 4 * rows * run
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
      const matrices = matricesOf(merged.shape, merged.perm, x.dtype)
      if (matrices) {
        const out = backend.makeOutput(outShape, x.dtype)
        const [source, into] = [heapValues(backend, x), heapValues(backend, out)]
        if (transposeMatrices(backend, source, into, matrices)) return out
        release(backend, out)
      }
      const wasm = copiesRows(merged.shape, merged.perm, x.dtype)
        ? heapModule(backend, copyRowsModuleBytes)
        : null
      if (wasm == null && merged.shape.length >= 2 && merged.shape.length <= ORIGINAL_FAST_RANK) {
        const out = original.kernelFunc({
          ...args,
          inputs: { x: withShape(x, merged.shape) },
          attrs: { perm: merged.perm },
        } as never) as TensorInfo
        return withShape(out, outShape)
      }
      const out = backend.makeOutput(outShape, x.dtype)
      const [source, into] = [heapValues(backend, x), heapValues(backend, out)]
      if (wasm) transposeRows(wasm.exports.copyRows, source, into, merged.shape, merged.perm)
      else transposeInto(source, into, merged.shape, merged.perm)
      return out
    },
  )
}
