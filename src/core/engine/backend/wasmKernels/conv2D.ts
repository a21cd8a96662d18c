// Conv2D on our own matrix product (gemm.ts: 19–25 GMAC/s against XNNPACK's 13–16 on one thread), the
// forward convolutions and, through conv2DBackpropInput.ts, the input gradients at stride 1.
// - A 1 × 1 convolution at stride 1 without padding is a plain matrix product: x [N·H·W, Cin] · filter
//   [Cin, Cout]. Two of every three convolutions in a ResNet-50 bottleneck are such.
// - Every other NHWC convolution without dilation is an indirect GEMM (indirectConv2D.ts).
// Dilated ones, NCHW ones, and any our module cannot reach stay on XNNPACK.
import { backend_util, type Conv2DAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { isPointwise } from './convInfo'
import { heapGemm } from './gemm'
import { indirectConv2D } from './indirectConv2D'
import { wrapWasmKernel, withShape, type BackendWasm } from './wasmKernelCall'

type Shape4 = [number, number, number, number]

export function conv2DConfig(): KernelConfig {
  return wrapWasmKernel(
    'Conv2D',
    (original) =>
      (args: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: Conv2DAttrs }) => {
        const { inputs, backend, attrs } = args
        const { x, filter } = inputs
        const nhwc = (attrs.dataFormat ?? 'NHWC') === 'NHWC' && x.shape.length === 4
        const ours = nhwc && x.dtype === 'float32' ? ourConv2D(backend, x, filter, attrs) : null
        return ours ?? (original.kernelFunc(args as never) as TensorInfo)
      },
  )
}

function ourConv2D(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DAttrs,
): TensorInfo | null {
  const { strides, pad, dilations, dimRoundingMode } = attrs
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    strides,
    dilations,
    pad,
    dimRoundingMode,
  )
  if (!isPointwise(info)) return indirectConv2D(backend, x, filter, info)
  const [, , inC, outC] = filter.shape
  const rows = x.shape[0] * x.shape[1] * x.shape[2]
  return heapGemm(
    backend,
    withShape(x, [1, rows, inC]),
    withShape(filter, [1, inC, outC]),
    { batch: 1, m: rows, k: inC, n: outC, transposeB: false },
    [x.shape[0], x.shape[1], x.shape[2], outC],
  )
}
