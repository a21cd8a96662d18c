// Conv2DBackpropFilter for the wasm backend, which lacks it. At stride 1 an indirect GEMM that reads the
// patches in place (indirectFilterGradient.ts). Otherwise (strides, and shapes that one leaves): im2col
// written transposed on the heap (from a channel-major copy of x, a matrix Transpose (matrixTranspose.ts),
// so rows are contiguous copies), then one matrix product with dy per batch chunk (BatchMatMul, on our own
// kernels: gemm.ts).
import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { dyRowsOf, imagesPerChunk } from './batchChunks'
import { convTaps, isPointwise, nhwcConv2DInfo } from './convInfo'
import { heapThreadsOf, runSplit } from '../heapThreads'
import { indirectFilterGradient } from './indirectFilterGradient'
import { callWasmKernel, heapFloat32, release, withShape, type BackendWasm } from './wasmKernelCall'

export function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo }
  backend: BackendWasm
  attrs: Conv2DBackpropFilterAttrs
}): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, dy } = inputs
  const { filterShape } = attrs
  const info = nhwcConv2DInfo(
    'Conv2DBackpropFilter',
    x.shape as [number, number, number, number],
    filterShape,
    attrs,
  )
  const { batchSize, inChannels, outHeight, outWidth } = info
  const { filterHeight, filterWidth } = info
  const patchSize = filterHeight * filterWidth * inChannels
  const rowsPerImage = outHeight * outWidth
  const chunk = imagesPerChunk(info)
  const pointwise = isPointwise(info)
  // Stride 1: read the patches in place (indirectFilterGradient.ts) instead of copying them out.
  const indirect = pointwise ? null : indirectFilterGradient(backend, x, dy, info)
  if (indirect != null) return indirect

  // dW [patchSize, outChannels] = patchesT [patchSize, rows] · dy [rows, outChannels]. This orientation keeps
  // the operand the product packs (dy) small and needs no transpose kernel: we write the patches transposed.
  // x channel-major ([C, B, H, W]) so every patch row is copied from contiguous runs.
  const xT = callWasmKernel(
    'Transpose',
    { x: withShape(x, [x.shape[0] * x.shape[1] * x.shape[2], inChannels]) },
    { perm: [1, 0] },
    backend,
  )
  const sizes = [batchSize, info.inHeight, info.inWidth, inChannels, outHeight, outWidth]
  const taps = convTaps(info)
  let sum: TensorInfo | null = null
  for (let b0 = 0; b0 < batchSize; b0 += chunk) {
    const images = Math.min(chunk, batchSize - b0)
    const rows = images * rowsPerImage
    const whole = images === batchSize
    // A 1×1 filter at stride 1 without padding over the whole batch: the patches are xT itself.
    const patchesT = whole && pointwise ? xT : backend.makeOutput([patchSize, rows], 'float32')
    if (patchesT !== xT) {
      const patches = heapFloat32(backend, patchesT)
      runSplit(
        heapThreadsOf(backend, patches.length),
        fillPatchesTransposed,
        [patches, heapFloat32(backend, xT)],
        [b0, images, ...sizes, ...taps],
        patchSize,
      )
    }
    const dyRows = dyRowsOf(backend, dy, info, b0, images)
    const part = callWasmKernel(
      'BatchMatMul',
      { a: patchesT, b: dyRows },
      { transposeA: false, transposeB: false },
      backend,
    )
    if (patchesT !== xT) release(backend, patchesT)
    if (!whole) release(backend, dyRows)
    if (sum == null) {
      sum = part
    } else {
      const next = callWasmKernel('Add', { a: sum, b: part }, {}, backend)
      release(backend, sum, part)
      sum = next
    }
  }
  release(backend, xT)
  return withShape(sum!, filterShape)
}

/**
 * Writes rows [from, to) of the im2col matrix of images [b0, b0+images), transposed: row k = (kh, kw, ci)
 * holds that tap for every output pixel. Reads the channel-major input, so each output row segment is a
 * contiguous copy at stride 1. Out-of-image taps are zero. Arrays: patchesT, xT; params: b0, images, then
 * the batch's sizes (batch, inHeight, inWidth, inChannels, outHeight, outWidth) and the taps (convTaps:
 * filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft). Split across helper threads by rows, so only its
 * arguments and globals.
 */
function fillPatchesTransposed(arrays: Float32Array[], params: number[], from: number, to: number): void {
  const [patchesT, xT] = arrays
  const [b0, images, batchSize, inHeight, inWidth, inChannels, outHeight, outWidth] = params
  const [filterWidth, strideHeight, strideWidth, padTop, padLeft] = params.slice(9)
  const rows = images * outHeight * outWidth
  const channelSize = batchSize * inHeight * inWidth
  for (let k = from; k < to; k++) {
    const ci = k % inChannels
    const tap = (k - ci) / inChannels
    const kw = tap % filterWidth
    const kh = (tap - kw) / filterWidth
    // Output columns whose tap lands inside the image: ow in [owStart, owEnd).
    const owStart = Math.min(outWidth, Math.max(0, Math.ceil((padLeft - kw) / strideWidth)))
    const owEnd = Math.max(
      owStart,
      Math.min(outWidth, Math.floor((inWidth - 1 + padLeft - kw) / strideWidth) + 1),
    )
    const run = owEnd - owStart
    let dst = k * rows
    for (let b = b0; b < b0 + images; b++) {
      const imageBase = ci * channelSize + b * inHeight * inWidth
      for (let oh = 0; oh < outHeight; oh++) {
        const ih = oh * strideHeight - padTop + kh
        if (ih < 0 || ih >= inHeight) {
          patchesT.fill(0, dst, dst + outWidth)
          dst += outWidth
          continue
        }
        if (owStart > 0) patchesT.fill(0, dst, dst + owStart)
        const src = imageBase + ih * inWidth + owStart * strideWidth - padLeft + kw
        if (strideWidth === 1 && run > 16) {
          patchesT.set(xT.subarray(src, src + run), dst + owStart)
        } else {
          for (let i = 0; i < run; i++) patchesT[dst + owStart + i] = xT[src + i * strideWidth]
        }
        if (owEnd < outWidth) patchesT.fill(0, dst + owEnd, dst + outWidth)
        dst += outWidth
      }
    }
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
}
