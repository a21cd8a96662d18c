// MaxPoolGrad for wasm. The backend's own kernel routes gradients to wrong positions in tfjs-backend-wasm
// 4.22 (for 2x2/stride-2 pooling the gradient's sum differs from dy's), so we replace it: each dy value goes to
// the first maximum of its window, like TensorFlow. A scatter with no matmul in it, hence a direct loop.
import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { heapFloat32, type BackendWasm } from './wasmKernelCall'

export function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }
  backend: BackendWasm
  attrs: MaxPoolGradAttrs
}): TensorInfo {
  const { inputs, backend, attrs } = args
  const { dy, input } = inputs
  const { filterSize, strides, pad, dimRoundingMode } = attrs
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  )
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info
  const {
    strideHeight,
    strideWidth,
    effectiveFilterHeight,
    effectiveFilterWidth,
    dilationHeight,
    dilationWidth,
  } = info
  const dx = backend.makeOutput(input.shape, 'float32')
  const dxValues = heapFloat32(backend, dx)
  const xValues = heapFloat32(backend, input)
  const dyValues = heapFloat32(backend, dy)
  dxValues.fill(0)
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - info.padInfo.top
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * strideWidth - info.padInfo.left
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * inChannels
        for (let c = 0; c < inChannels; c++) {
          let best = -Infinity
          let bestIndex = -1
          for (let kh = 0; kh < effectiveFilterHeight; kh += dilationHeight) {
            const ih = top + kh
            if (ih < 0 || ih >= inHeight) continue
            for (let kw = 0; kw < effectiveFilterWidth; kw += dilationWidth) {
              const iw = left + kw
              if (iw < 0 || iw >= inWidth) continue
              const index = ((b * inHeight + ih) * inWidth + iw) * inChannels + c
              // NaN wins like in TensorFlow's max, so its gradient is not silently dropped.
              if (xValues[index] > best || (bestIndex < 0 && Number.isNaN(xValues[index]))) {
                best = xValues[index]
                bestIndex = index
              }
            }
          }
          if (bestIndex >= 0) dxValues[bestIndex] += dyValues[dyBase + c]
        }
      }
    }
  }
  return dx
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
}
