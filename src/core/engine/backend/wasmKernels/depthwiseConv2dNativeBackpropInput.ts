// DepthwiseConv2dNativeBackpropInput for wasm: scatter dy back through each channel's own taps (no channel
// mixing, so no matmul to offload; the loop does the forward pass's multiply-adds once).
import {
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { depthwiseConv2DInfo } from './convInfo'
import { heapFloat32, type BackendWasm } from './wasmKernelCall'

export function depthwiseConv2dNativeBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo }
  backend: BackendWasm
  attrs: DepthwiseConv2dNativeBackpropInputAttrs
}): TensorInfo {
  const { inputs, backend, attrs } = args
  const { dy, filter } = inputs
  const { inputShape } = attrs
  const info = depthwiseConv2DInfo(inputShape, filter.shape as [number, number, number, number], attrs)
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info
  const multiplier = outChannels / inChannels
  const dx = backend.makeOutput(inputShape, 'float32')
  const dxValues = heapFloat32(backend, dx)
  const dyValues = heapFloat32(backend, dy)
  const filterValues = heapFloat32(backend, filter)
  dxValues.fill(0)
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let kh = 0; kh < filterHeight; kh++) {
        const ih = oh * strideHeight - info.padInfo.top + kh * dilationHeight
        if (ih < 0 || ih >= inHeight) continue
        for (let ow = 0; ow < outWidth; ow++) {
          const dyBase = ((b * outHeight + oh) * outWidth + ow) * outChannels
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth - info.padInfo.left + kw * dilationWidth
            if (iw < 0 || iw >= inWidth) continue
            const dxBase = ((b * inHeight + ih) * inWidth + iw) * inChannels
            const tapBase = (kh * filterWidth + kw) * outChannels
            for (let c = 0; c < inChannels; c++) {
              let sum = 0
              for (let q = 0; q < multiplier; q++) {
                const o = c * multiplier + q
                sum += dyValues[dyBase + o] * filterValues[tapBase + o]
              }
              dxValues[dxBase + c] += sum
            }
          }
        }
      }
    }
  }
  return dx
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as KernelFunc,
}
