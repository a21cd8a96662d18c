// SplitV for wasm: the gradient of every channel concat (a U-Net decoder's skip connections). Its own kernel
// is one Slice per output, and wasm's Slice along the channel axis of an NHWC tensor took 80 ms per split in a
// ResNet-34 U-Net paper step (0.65 s of its 14.7 s on one thread, 5 Dec). Each output here is whole runs of
// the input (its share of the split axis times everything after it), one from each block before the axis:
// rows of 4-byte vectors copied in WebAssembly (copyRowsWasm.ts), any other run in JavaScript.
import {
  backend_util,
  SplitV,
  util,
  type KernelConfig,
  type SplitVAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { copyRowsModuleBytes } from './copyRowsWasm'
import { copyRun } from './copyRun'
import { heapModule } from './heapModule'
import { copyable, heapValues, wrapWasmKernel, type BackendWasm } from './wasmKernelCall'

/**
 * Copies `x` cut along `axis` into `outs`, part j holding `sizes[j]` entries of the axis (any shape of that
 * size: Unpack's drop the axis): each part is one run from each block before the axis, copied as rows of
 * 4-byte vectors in WebAssembly (copyRowsWasm.ts) when they are, else run by run in JavaScript.
 */
export function copySplits(
  backend: BackendWasm,
  x: TensorInfo,
  axis: number,
  sizes: number[],
  outs: TensorInfo[],
): void {
  const outer = util.sizeFromShape(x.shape.slice(0, axis))
  const inner = util.sizeFromShape(x.shape.slice(axis + 1))
  const block = x.shape[axis] * inner
  // Views after the caller's last makeOutput: an allocation may grow the heap and detach earlier ones.
  const source = heapValues(backend, x)
  const copyRows = heapModule(backend, copyRowsModuleBytes)?.exports.copyRows
  let start = 0
  outs.forEach((out, j) => {
    const into = heapValues(backend, out)
    const run = sizes[j] * inner
    if (run > 0 && outer > 0 && run % 4 === 0 && copyRows != null && source.BYTES_PER_ELEMENT === 4) {
      copyRows(source.byteOffset + 4 * start, into.byteOffset, outer, run / 4, 4 * block)
    } else {
      for (let q = 0; q < outer; q++) copyRun(source, q * block + start, into, q * run, run)
    }
    start += run
  })
}

export function splitVConfig(): KernelConfig {
  return wrapWasmKernel(
    SplitV,
    (original) => (args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: SplitVAttrs }) => {
      const { inputs, backend, attrs } = args
      const { x } = inputs
      if (!copyable(x)) return original.kernelFunc(args as never)
      const axis = util.parseAxisParam(attrs.axis, x.shape)[0]
      const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis)
      const outs = sizes.map((size) => {
        const shape = [...x.shape]
        shape[axis] = size
        return backend.makeOutput(shape, x.dtype)
      })
      copySplits(backend, x, axis, sizes, outs)
      return outs
    },
  )
}
