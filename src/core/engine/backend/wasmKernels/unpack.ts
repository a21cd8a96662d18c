// Unpack (tf.unstack) for wasm. Its own kernel is one Slice per output, and the wasm Slice works out every
// element's source index one by one above rank 4: the q, k and v of a ViT or Swin block come from a rank-5
// unstack, 9 ms a block for one image of 197 tokens and 58 ms for four. Each output here is the same whole
// runs of the input (everything after the unstacked axis), copied.
import { Unpack, type KernelConfig, type TensorInfo, type UnpackAttrs } from '@tensorflow/tfjs'
import { wrapWasmKernel, type BackendWasm } from './wasmKernelCall'

type Copyable = Float32Array | Int32Array | Uint8Array

/**
 * Output `index` of unstacking `source` along an axis of `count` entries, with `outer` elements before it
 * and runs of `inner` after it: `outer` runs, one from each block of `count × inner`.
 */
export function unpackInto(
  source: Copyable,
  out: Copyable,
  index: number,
  count: number,
  inner: number,
): void {
  const outer = out.length / Math.max(inner, 1)
  for (let q = 0; q < outer; q++) {
    const src = (q * count + index) * inner
    if (inner >= 64) out.set(source.subarray(src, src + inner), q * inner)
    else for (let i = 0; i < inner; i++) out[q * inner + i] = source[src + i]
  }
}

export function unpackConfig(): KernelConfig {
  return wrapWasmKernel(
    Unpack,
    (original) => (args: { inputs: { value: TensorInfo }; backend: BackendWasm; attrs: UnpackAttrs }) => {
      const { inputs, backend, attrs } = args
      const { value } = inputs
      if (value.dtype === 'string' || value.dtype === 'complex64') return original.kernelFunc(args as never)
      const rank = value.shape.length
      const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis
      const count = value.shape[axis]
      const inner = value.shape.slice(axis + 1).reduce((a, b) => a * b, 1)
      const outShape = value.shape.filter((_, i) => i !== axis)
      const outs = Array.from({ length: count }, () => backend.makeOutput(outShape, value.dtype))
      // Views after the last makeOutput: an allocation may grow the heap and detach earlier ones.
      const source = backend.typedArrayFromHeap(value) as Copyable
      outs.forEach((out, index) =>
        unpackInto(source, backend.typedArrayFromHeap(out) as Copyable, index, count, inner),
      )
      return outs
    },
  )
}
