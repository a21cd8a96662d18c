// Unpack (tf.unstack) for wasm. Its own kernel is one Slice per output, and the wasm Slice works out every
// element's source index one by one above rank 4: the q, k and v of a ViT or Swin block come from a rank-5
// unstack, 9 ms a block for one image of 197 tokens and 58 ms for four. Each output here is the same whole
// runs of the input (everything after the unstacked axis), copied.
import { Unpack, util, type KernelConfig, type TensorInfo, type UnpackAttrs } from '@tensorflow/tfjs'
import { copyRun } from './copyRun'
import { copyable, heapValues, wrapWasmKernel, type BackendWasm, type HeapValues } from './wasmKernelCall'

/**
 * Output `index` of unstacking `source` along an axis of `count` entries, with `outer` elements before it
 * and runs of `inner` after it: `outer` runs, one from each block of `count × inner`.
 */
export function unpackInto(
  source: HeapValues,
  out: HeapValues,
  index: number,
  count: number,
  inner: number,
): void {
  const outer = out.length / Math.max(inner, 1)
  for (let q = 0; q < outer; q++) {
    copyRun(source, (q * count + index) * inner, out, q * inner, inner)
  }
}

export function unpackConfig(): KernelConfig {
  return wrapWasmKernel(
    Unpack,
    (original) => (args: { inputs: { value: TensorInfo }; backend: BackendWasm; attrs: UnpackAttrs }) => {
      const { inputs, backend, attrs } = args
      const { value } = inputs
      if (!copyable(value)) return original.kernelFunc(args as never)
      const rank = value.shape.length
      const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis
      const count = value.shape[axis]
      const inner = util.sizeFromShape(value.shape.slice(axis + 1))
      const outShape = value.shape.filter((_, i) => i !== axis)
      const outs = Array.from({ length: count }, () => backend.makeOutput(outShape, value.dtype))
      // Views after the last makeOutput: an allocation may grow the heap and detach earlier ones.
      const source = heapValues(backend, value)
      outs.forEach((out, index) => unpackInto(source, heapValues(backend, out), index, count, inner))
      return outs
    },
  )
}
