// Conv2DBackpropInput for the wasm backend. Its own kernel is a plain loop (10x slower than its forward conv
// here). At stride 1 we express the input gradient as a forward conv (conv2D.ts: our matrix product for a
// 1 × 1 filter, our indirect GEMM otherwise): the filter rotated 180 degrees with in/out channels swapped,
// over padded dy. At larger strides that conv would mostly multiply inserted zeros, so instead: columns = dy · filterᵀ (one
// matrix product, on our own kernels: gemm.ts; the strided conv's own multiply count), then col2im adds each
// column back onto the input pixels it came from.
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { callWasmKernel, heapFloat32, release, withShape, type BackendWasm } from './wasmKernelCall'
import { dyRowsOf, imagesPerChunk } from './batchChunks'
import { convTaps, nhwcConv2DInfo } from './convInfo'
import { heapThreadsOf, runSplit } from '../heapThreads'

export function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo }
  backend: BackendWasm
  attrs: Conv2DBackpropInputAttrs
}): TensorInfo {
  const { inputs, backend, attrs } = args
  const { dy, filter } = inputs
  const info = nhwcConv2DInfo(
    'Conv2DBackpropInput',
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs,
  )
  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info
  // Where dy's pixel (0, 0) lands in the padded, zero-dilated dy, so that a valid conv yields inHeight x inWidth.
  const top = filterHeight - 1 - info.padInfo.top
  const left = filterWidth - 1 - info.padInfo.left
  const paddedHeight = inHeight + filterHeight - 1
  const paddedWidth = inWidth + filterWidth - 1

  if (strideHeight > 1 || strideWidth > 1) return backpropInputByColumns(backend, dy, filter, info)
  const bottom = paddedHeight - top - ((outHeight - 1) * strideHeight + 1)
  const right = paddedWidth - left - ((outWidth - 1) * strideWidth + 1)
  const plainPadding =
    strideHeight === 1 && strideWidth === 1 && top >= 0 && left >= 0 && bottom >= 0 && right >= 0
  const spread = plainPadding
    ? null
    : backend.makeOutput([batchSize, paddedHeight, paddedWidth, outChannels], 'float32')
  const flipped = rotatedFilter(backend, filter)

  let dx: TensorInfo
  if (spread == null) {
    // Stride 1: the conv's own explicit padding does the job, no copy of dy.
    const explicit: backend_util.ExplicitPadding = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]
    dx = callWasmKernel(
      'Conv2D',
      { x: dy, filter: flipped },
      { strides: 1, pad: explicit, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined } as never,
      backend,
    )
  } else {
    spreadDy(
      heapFloat32(backend, dy),
      heapFloat32(backend, spread),
      info,
      top,
      left,
      paddedHeight,
      paddedWidth,
    )
    dx = callWasmKernel(
      'Conv2D',
      { x: spread, filter: flipped },
      { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined } as never,
      backend,
    )
    release(backend, spread)
  }
  release(backend, flipped)
  return dx
}

/** Strided convs: dx = col2im(dy [rows, outC] · filterᵀ [outC, taps·inC]), in batch chunks to bound memory. */
function backpropInputByColumns(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inChannels, outChannels, filterHeight, filterWidth } = info
  const patchSize = filterHeight * filterWidth * inChannels
  const chunk = imagesPerChunk(info)
  // filterᵀ without a copy: the product reads the filter as [patchSize, outC] transposed (gemm.ts packs it).
  const filterRows = withShape(filter, [patchSize, outChannels])
  const dx = backend.makeOutput(info.inShape, 'float32')
  heapFloat32(backend, dx).fill(0)
  for (let b0 = 0; b0 < batchSize; b0 += chunk) {
    const images = Math.min(chunk, batchSize - b0)
    const dyRows = dyRowsOf(backend, dy, info, b0, images)
    const columns = callWasmKernel(
      'BatchMatMul',
      { a: dyRows, b: filterRows },
      { transposeA: false, transposeB: true },
      backend,
    )
    const columnValues = heapFloat32(backend, columns)
    const sizes = [info.inHeight, info.inWidth, inChannels, info.outHeight, info.outWidth]
    runSplit(
      heapThreadsOf(backend, columnValues.length),
      addColumnsToImage,
      [columnValues, heapFloat32(backend, dx)],
      [b0, images, ...sizes, ...convTaps(info)],
      inChannels,
    )
    release(backend, columns)
    if (images !== batchSize) release(backend, dyRows)
  }
  return dx
}

/**
 * col2im for input channels [from, to): dx[b, ih, iw, c] += columns[(b, oh, ow), (kh, kw, c)] for every tap
 * that lands inside the image. Arrays: columns, dx; params: b0, images, then inHeight, inWidth, inChannels,
 * outHeight, outWidth, and the taps (convTaps: filterHeight, filterWidth, strideHeight, strideWidth, padTop,
 * padLeft). Split across
 * helper threads by channel (heapThreads.ts), so only its arguments and globals.
 */
function addColumnsToImage(arrays: Float32Array[], params: number[], from: number, to: number): void {
  const [columns, dx] = arrays
  const [b0, images, inHeight, inWidth, inChannels, outHeight, outWidth] = params
  const [filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft] = params.slice(7)
  let src = 0
  for (let b = b0; b < b0 + images; b++) {
    const imageBase = b * inHeight * inWidth * inChannels
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight - padTop + kh
          if (ih < 0 || ih >= inHeight) {
            src += filterWidth * inChannels
            continue
          }
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth - padLeft + kw
            if (iw >= 0 && iw < inWidth) {
              const dst = imageBase + (ih * inWidth + iw) * inChannels
              for (let c = from; c < to; c++) dx[dst + c] += columns[src + c]
            }
            src += inChannels
          }
        }
      }
    }
  }
}

/**
 * flipped[kh][kw][co][ci] = filter[KH-1-kh][KW-1-kw][ci][co]: the taps in reverse order, each tap's [ci, co]
 * block transposed in tiles. A loop in JS, because wasm's Reverse kernel takes 125 ms on a 3×3×512×512 filter
 * (an index computation per element; it was half of ResNet-50's input gradient time) and this takes ~5 ms.
 */
function rotatedFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [filterHeight, filterWidth, inChannels, outChannels] = filter.shape
  const flipped = backend.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32')
  rotateTaps(
    heapFloat32(backend, filter),
    heapFloat32(backend, flipped),
    filterHeight * filterWidth,
    inChannels,
    outChannels,
  )
  return flipped
}

const tile = 32

/** out[t][co][ci] = filter[taps − 1 − t][ci][co] for every tap t. */
function rotateTaps(
  filter: Float32Array,
  out: Float32Array,
  taps: number,
  inChannels: number,
  outChannels: number,
): void {
  const block = inChannels * outChannels
  for (let t = 0; t < taps; t++) {
    const src = (taps - 1 - t) * block
    const dst = t * block
    for (let ci0 = 0; ci0 < inChannels; ci0 += tile) {
      const ci1 = Math.min(inChannels, ci0 + tile)
      for (let co0 = 0; co0 < outChannels; co0 += tile) {
        const co1 = Math.min(outChannels, co0 + tile)
        for (let ci = ci0; ci < ci1; ci++) {
          const row = src + ci * outChannels
          for (let co = co0; co < co1; co++) out[dst + co * inChannels + ci] = filter[row + co]
        }
      }
    }
  }
}

/** Copies dy into a zeroed buffer at rows top + oh*stride, columns left + ow*stride (outside ones dropped). */
function spreadDy(
  dy: Float32Array,
  spread: Float32Array,
  info: backend_util.Conv2DInfo,
  top: number,
  left: number,
  paddedHeight: number,
  paddedWidth: number,
): void {
  const { batchSize, outHeight, outWidth, outChannels, strideHeight, strideWidth } = info
  spread.fill(0)
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const row = top + oh * strideHeight
      if (row < 0 || row >= paddedHeight) continue
      for (let ow = 0; ow < outWidth; ow++) {
        const col = left + ow * strideWidth
        if (col < 0 || col >= paddedWidth) continue
        const src = ((b * outHeight + oh) * outWidth + ow) * outChannels
        const dst = ((b * paddedHeight + row) * paddedWidth + col) * outChannels
        if (outChannels > 24) spread.set(dy.subarray(src, src + outChannels), dst)
        else for (let c = 0; c < outChannels; c++) spread[dst + c] = dy[src + c]
      }
    }
  }
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
}
