// Unpack (tf.unstack) for wasm. Its own kernel is one Slice per output, and the wasm Slice works out every
// element's source index one by one above rank 4: the q, k and v of a ViT or Swin block come from a rank-5
// unstack, 9 ms a block for one image of 197 tokens and 58 ms for four. Each output here is the same whole
// runs of the input (everything after the unstacked axis), copied by SplitV's copySplits.
import { Unpack, type KernelConfig, type TensorInfo, type UnpackAttrs } from '@tensorflow/tfjs'
import { copySplits } from './splitV'
import { copyable, wrapWasmKernel, type BackendWasm } from './wasmKernelCall'

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
      const outShape = value.shape.filter((_, i) => i !== axis)
      const outs = Array.from({ length: count }, () => backend.makeOutput(outShape, value.dtype))
      // An unstack is a split into parts of one entry each, the axis dropped from their shapes.
      copySplits(backend, value, axis, new Array<number>(count).fill(1), outs)
      return outs
    },
  )
}
