// DepthwiseConv2dNativeBackpropFilter for wasm. Depthwise taps do not mix channels, so there is no matmul to
// hand to XNNPACK; a direct loop over the heap does the same number of multiply-adds as the forward pass.
import {
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { depthwiseConv2DInfo } from './convInfo'
import { heapFloat32, type BackendWasm } from './wasmKernelCall'

export function depthwiseConv2dNativeBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo }
  backend: BackendWasm
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs
}): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, dy } = inputs
  const { filterShape } = attrs
  const info = depthwiseConv2DInfo(x.shape as [number, number, number, number], filterShape, attrs)
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info
  const multiplier = outChannels / inChannels
  const dw = backend.makeOutput(filterShape, 'float32')
  const dwValues = heapFloat32(backend, dw)
  const xValues = heapFloat32(backend, x)
  const dyValues = heapFloat32(backend, dy)
  dwValues.fill(0)
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const tapBase = (kh * filterWidth + kw) * outChannels
      for (let b = 0; b < batchSize; b++) {
        for (let oh = 0; oh < outHeight; oh++) {
          const ih = oh * strideHeight - info.padInfo.top + kh * dilationHeight
          if (ih < 0 || ih >= inHeight) continue
          for (let ow = 0; ow < outWidth; ow++) {
            const iw = ow * strideWidth - info.padInfo.left + kw * dilationWidth
            if (iw < 0 || iw >= inWidth) continue
            const xBase = ((b * inHeight + ih) * inWidth + iw) * inChannels
            const dyBase = ((b * outHeight + oh) * outWidth + ow) * outChannels
            for (let c = 0; c < inChannels; c++) {
              const xv = xValues[xBase + c]
              for (let q = 0; q < multiplier; q++) {
                const o = c * multiplier + q
                dwValues[tapBase + o] += xv * dyValues[dyBase + o]
              }
            }
          }
        }
      }
    }
  }
  return dw
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as KernelFunc,
}
