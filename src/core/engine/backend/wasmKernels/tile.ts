// Tile for wasm. Its own kernel computes every output element's source index one by one; nearest-neighbour
// upsampling in the U-Net decoders is two tiles per block, and that took ~20 % of a small U-Net step. This
// copies whole contiguous runs (the trailing dimensions that are not repeated) instead.
import { Tile, util, type KernelConfig, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs'
import { copyRun } from './copyRun'
import { copyable, heapValues, wrapWasmKernel, type BackendWasm, type HeapValues } from './wasmKernelCall'

export function tileInto(source: HeapValues, out: HeapValues, shape: number[], reps: number[]): void {
  const rank = shape.length
  let tiled = rank
  while (tiled > 0 && reps[tiled - 1] === 1) tiled--
  if (tiled === 0) {
    out.set(source)
    return
  }
  const chunk = util.sizeFromShape(shape.slice(tiled))
  const sourceStrides = new Array<number>(tiled)
  let stride = chunk
  for (let i = tiled - 1; i >= 0; i--) {
    sourceStrides[i] = stride
    stride *= shape[i]
  }
  const outerShape = shape.slice(0, tiled).map((n, i) => n * reps[i])
  const outerCount = util.sizeFromShape(outerShape)
  const counter = new Array<number>(tiled).fill(0)
  const sourceIndex = new Array<number>(tiled).fill(0)
  let src = 0
  for (let q = 0, dst = 0; q < outerCount; q++, dst += chunk) {
    copyRun(source, src, out, dst, chunk)
    // Odometer over the output's tiled dimensions; the source index wraps at the source size.
    for (let axis = tiled - 1; axis >= 0; axis--) {
      counter[axis]++
      sourceIndex[axis]++
      src += sourceStrides[axis]
      if (sourceIndex[axis] === shape[axis]) {
        sourceIndex[axis] = 0
        src -= shape[axis] * sourceStrides[axis]
      }
      if (counter[axis] < outerShape[axis]) break
      // The output size is reps × the source size, so sourceIndex has just wrapped to 0 as well.
      counter[axis] = 0
    }
  }
}

export function tileConfig(): KernelConfig {
  return wrapWasmKernel(
    Tile,
    (original) => (args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: TileAttrs }) => {
      const { inputs, backend, attrs } = args
      const { x } = inputs
      if (!copyable(x)) return original.kernelFunc(args as never)
      const reps = attrs.reps
      if (reps.length !== x.shape.length) {
        throw new Error(`tile: reps [${reps}] must have the rank of the input [${x.shape}]`)
      }
      const out = backend.makeOutput(
        x.shape.map((n, i) => n * reps[i]),
        x.dtype,
      )
      tileInto(heapValues(backend, x), heapValues(backend, out), x.shape, reps)
      return out
    },
  )
}
