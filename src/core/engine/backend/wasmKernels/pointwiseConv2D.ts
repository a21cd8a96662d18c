// A 1 × 1 convolution at stride 1 without padding is a matrix product: x [N·H·W, Cin] · filter [Cin, Cout].
// Two of every three convolutions in a ResNet-50 bottleneck are such, and so is the input gradient of each
// (a Conv2D of dy with the filter transposed, conv2DBackpropInput.ts). They go to our own matrix product
// (gemm.ts: 21–25 GMAC/s against XNNPACK's 14 on one thread); every other convolution stays on XNNPACK.
import { type Conv2DAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { isPointwise, nhwcConv2DInfo } from './convInfo'
import { heapGemm } from './gemm'
import { wrapWasmKernel, withShape, type BackendWasm } from './wasmKernelCall'

export function pointwiseConv2DConfig(): KernelConfig {
  return wrapWasmKernel(
    'Conv2D',
    (original) =>
      (args: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: Conv2DAttrs }) => {
        const { inputs, backend, attrs } = args
        const { x, filter } = inputs
        const [, , inC, outC] = filter.shape
        type Shape4 = [number, number, number, number]
        const nhwc = (attrs.dataFormat ?? 'NHWC') === 'NHWC' && x.shape.length === 4
        if (nhwc && isPointwise(nhwcConv2DInfo('Conv2D', x.shape as Shape4, filter.shape as Shape4, attrs))) {
          const rows = x.shape[0] * x.shape[1] * x.shape[2]
          const out = heapGemm(
            backend,
            withShape(x, [1, rows, inC]),
            withShape(filter, [1, inC, outC]),
            { batch: 1, m: rows, k: inC, n: outC, transposeB: false },
            [x.shape[0], x.shape[1], x.shape[2], outC],
          )
          if (out != null) return out
        }
        return original.kernelFunc(args as never) as TensorInfo
      },
  )
}
