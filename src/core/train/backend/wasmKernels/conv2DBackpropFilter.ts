// Conv2DBackpropFilter for the wasm backend, which lacks it: im2col on the heap, then wasm's fast matmul.
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { callWasmKernel, heapFloat32, release, withShape, type BackendWasm } from './wasmKernelCall'

// Bounds the patch matrix (floats) so paper-sized layers do not need gigabytes at once.
const maxPatchFloats = 16 * 1024 * 1024

export function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo }
  backend: BackendWasm
  attrs: Conv2DBackpropFilterAttrs
}): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, dy } = inputs
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
    throw new Error(`wasm Conv2DBackpropFilter supports dataFormat NHWC only, got '${dataFormat}'`)
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  )
  const { batchSize, inChannels, outHeight, outWidth, outChannels } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info
  const padTop = info.padInfo.top
  const padLeft = info.padInfo.left
  const patchSize = filterHeight * filterWidth * inChannels
  const rowsPerImage = outHeight * outWidth
  const imagesPerChunk = Math.max(
    1,
    Math.min(batchSize, Math.floor(maxPatchFloats / (rowsPerImage * patchSize))),
  )
  // A 1x1 stride-1 unpadded conv's patches are the input itself.
  const patchesAreInputNoPad =
    filterHeight === 1 &&
    filterWidth === 1 &&
    strideHeight === 1 &&
    strideWidth === 1 &&
    padTop === 0 &&
    padLeft === 0

  let sum: TensorInfo | null = null // [outChannels, patchSize]
  for (let b0 = 0; b0 < batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - b0)
    const rows = images * rowsPerImage
    const whole = images === batchSize
    let patches: TensorInfo
    if (patchesAreInputNoPad && whole) {
      patches = withShape(x, [rows, patchSize])
    } else {
      patches = backend.makeOutput([rows, patchSize], 'float32')
      fillPatches(heapFloat32(backend, patches), heapFloat32(backend, x), b0, images, info, padTop, padLeft)
    }
    const dyRows = whole
      ? withShape(dy, [rows, outChannels])
      : callWasmKernel(
          'Slice',
          { x: withShape(dy, [batchSize * rowsPerImage, outChannels]) },
          { begin: [b0 * rowsPerImage, 0], size: [rows, outChannels] },
          backend,
        )
    // wasm's matmul is slow with transposeA, so transpose dy explicitly (the smaller operand).
    const dyT = callWasmKernel('Transpose', { x: dyRows }, { perm: [1, 0] }, backend)
    const part = callWasmKernel(
      'BatchMatMul',
      { a: dyT, b: patches },
      { transposeA: false, transposeB: false },
      backend,
    )
    release(backend, dyT)
    if (!whole) release(backend, dyRows)
    if (!(patchesAreInputNoPad && whole)) release(backend, patches)
    if (sum == null) {
      sum = part
    } else {
      const next = callWasmKernel('Add', { a: sum, b: part }, {}, backend)
      release(backend, sum, part)
      sum = next
    }
  }
  const dw = callWasmKernel(
    'Transpose',
    { x: withShape(sum!, [outChannels, patchSize]) },
    { perm: [1, 0] },
    backend,
  )
  release(backend, sum!)
  return withShape(dw, filterShape)
}

/** Writes the im2col rows of images [b0, b0+images) (NHWC) into `patches`; out-of-image taps are zero. */
function fillPatches(
  patches: Float32Array,
  x: Float32Array,
  b0: number,
  images: number,
  info: backend_util.Conv2DInfo,
  padTop: number,
  padLeft: number,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info
  const { strideHeight, strideWidth } = info
  const rowLength = filterWidth * inChannels
  let dst = 0
  for (let b = b0; b < b0 + images; b++) {
    const imageBase = b * inHeight * inWidth * inChannels
    for (let oh = 0; oh < outHeight; oh++) {
      const ihTop = oh * strideHeight - padTop
      for (let ow = 0; ow < outWidth; ow++) {
        const iwLeft = ow * strideWidth - padLeft
        const wholeRowInside = iwLeft >= 0 && iwLeft + filterWidth <= inWidth
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = ihTop + kh
          if (ih < 0 || ih >= inHeight) {
            patches.fill(0, dst, dst + rowLength)
            dst += rowLength
            continue
          }
          const rowBase = imageBase + ih * inWidth * inChannels
          if (wholeRowInside) {
            // The filter row's taps are contiguous in NHWC: one copy.
            const src = rowBase + iwLeft * inChannels
            if (rowLength > 24) patches.set(x.subarray(src, src + rowLength), dst)
            else for (let i = 0; i < rowLength; i++) patches[dst + i] = x[src + i]
            dst += rowLength
            continue
          }
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = iwLeft + kw
            if (iw < 0 || iw >= inWidth) {
              patches.fill(0, dst, dst + inChannels)
            } else {
              const src = rowBase + iw * inChannels
              for (let c = 0; c < inChannels; c++) patches[dst + c] = x[src + c]
            }
            dst += inChannels
          }
        }
      }
    }
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
}
