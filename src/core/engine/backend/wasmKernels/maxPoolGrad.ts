// MaxPoolGrad for wasm. The backend's own kernel routes gradients to wrong positions in tfjs-backend-wasm
// 4.22 (for 2x2/stride-2 pooling the gradient's sum differs from dy's), so we replace it: each dy value goes to
// the first maximum of its window, like TensorFlow. A scatter with no matmul in it, hence a direct loop, split
// across threads by image.
import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs'
import { heapThreadsOf, runSplit, type SplitKernel } from '../heapThreads'
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
  runSplit(
    heapThreadsOf(backend, util.sizeFromShape(input.shape)),
    routeToMaxima,
    [heapFloat32(backend, input), heapFloat32(backend, dy), heapFloat32(backend, dx)],
    [
      inHeight,
      inWidth,
      inChannels,
      outHeight,
      outWidth,
      strideHeight,
      strideWidth,
      effectiveFilterHeight,
      effectiveFilterWidth,
      dilationHeight,
      dilationWidth,
      info.padInfo.top,
      info.padInfo.left,
    ],
    batchSize,
  )
  return dx
}

/**
 * Images [from, to): dx zeroed, then each dy value added at the first maximum of its window (TensorFlow's
 * choice; a NaN wins, so its gradient is not silently dropped). Channels innermost: a window's taps are
 * compared a whole pixel's channels at a time, in contiguous runs ([8, 112, 112, 64], 3 × 3 at stride 2:
 * 102 → 83 ms on one thread, 50 ms on two).
 * Arrays: x, dy, dx; params: inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth,
 * effectiveFilterHeight, effectiveFilterWidth, dilationHeight, dilationWidth, padTop, padLeft. Split across
 * helper threads by image (each writes only its own dx), so only its arguments and globals.
 */
const routeToMaxima: SplitKernel = (arrays, params, from, to) => {
  const [x, dy, dx] = arrays
  const [inHeight, inWidth, channels, outHeight, outWidth, strideHeight, strideWidth] = params
  const [filterHeight, filterWidth, dilationHeight, dilationWidth, padTop, padLeft] = params.slice(7)
  const best = new Float32Array(channels)
  const where = new Int32Array(channels)
  const imageFloats = inHeight * inWidth * channels
  dx.fill(0, from * imageFloats, to * imageFloats)
  for (let b = from; b < to; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padTop
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * strideWidth - padLeft
        best.fill(-Infinity)
        where.fill(-1)
        for (let kh = 0; kh < filterHeight; kh += dilationHeight) {
          const ih = top + kh
          if (ih < 0 || ih >= inHeight) continue
          for (let kw = 0; kw < filterWidth; kw += dilationWidth) {
            const iw = left + kw
            if (iw < 0 || iw >= inWidth) continue
            const base = ((b * inHeight + ih) * inWidth + iw) * channels
            for (let c = 0; c < channels; c++) {
              const v = x[base + c]
              if (v > best[c] || (where[c] < 0 && v !== v)) {
                best[c] = v
                where[c] = base + c
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * channels
        for (let c = 0; c < channels; c++) if (where[c] >= 0) dx[where[c]] += dy[dyBase + c]
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
}
