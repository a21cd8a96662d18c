// A stride-1 convolution's filter gradient as an indirect GEMM (the forward's scheme, indirectConv2D.ts):
// dW [KH·KW·Cin, Cout] = patchesᵀ · dy, where row (kh, kw, ci) of patchesᵀ is input channel ci shifted by
// the tap, over every output pixel. In a channel-major copy of the input, zero-padded per image, that row
// is read in place: one run of OW floats per output row, the next one image row down. So nothing is
// copied out per tap (im2col wrote nine times the input for a 3 × 3 filter) and no patch matrix bounds the
// batch. dy, the other operand, is packed into panels of 8 columns as the product's B (gemm.ts).
//
// The sum over pixels runs in blocks of about 512 pixels (a block's slice of a panel, 16 KB, stays in L1 while it
// serves 32 groups of rows); every element of dW adds its blocks in the same order at any thread count
// (threads take whole groups of 4 rows), so results are bit for bit those of one thread.
import { type backend_util, type TensorInfo } from '@tensorflow/tfjs'
import { runSplit, type SplitKernel } from '../heapThreads'
import { copyThreads, gemmModule, packOperand, productThreads } from './gemm'
import { padImages, paddedExtent } from './indirectConv2D'
import { callWasmKernel, heapFloat32, release, withShape, type BackendWasm } from './wasmKernelCall'

/**
 * dW for an NHWC conv at stride 1 without dilation, into a new [KH, KW, Cin, Cout] tensor; null when the
 * geometry is one the im2col path keeps (conv2DBackpropFilter.ts): a stride, output channels not in whole
 * panels of 8, or patch rows not in whole groups of 4 (both would need a block cut short).
 */
export function indirectFilterGradient(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { filterHeight, filterWidth, padInfo } = info
  const patchSize = filterHeight * filterWidth * inChannels
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null
  if (outChannels % 8 !== 0 || patchSize % 4 !== 0) return null
  if (padInfo.top < 0 || padInfo.left < 0) return null
  const pixels = batchSize * outHeight * outWidth
  if (pixels === 0) return null
  const wasm = gemmModule(backend)
  if (wasm == null) return null

  const { paddedHeight, paddedWidth } = paddedExtent(info)
  const paddedFloats = inChannels * batchSize * paddedHeight * paddedWidth
  const panels = outChannels / 8

  // x channel-major ([Cin, B, H, W]; matrixTranspose.ts), then each (channel, image) plane padded.
  const xT = callWasmKernel(
    'Transpose',
    { x: withShape(x, [batchSize * inHeight * inWidth, inChannels]) },
    { perm: [1, 0] },
    backend,
  )
  const dW = backend.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32')
  const work = backend.makeOutput([paddedFloats + panels * pixels * 8], 'float32')
  // Views after the last allocation: one may grow the heap.
  const heap = heapFloat32(backend, work)
  const padded = heap.subarray(0, paddedFloats)
  const packed = heap.subarray(paddedFloats)
  runSplit(
    copyThreads(backend, paddedFloats),
    padImages,
    [heapFloat32(backend, xT), padded],
    [inHeight, inWidth, 1, paddedHeight, paddedWidth, padInfo.top, padInfo.left],
    inChannels * batchSize * paddedHeight,
  )
  release(backend, xT)
  packOperand(backend, wasm, heapFloat32(backend, dy), packed, { k: pixels, n: outChannels })
  const multiplyAdds = patchSize * pixels * outChannels
  runSplit(
    productThreads(backend, multiplyAdds),
    filterGradientRows,
    [padded, packed, heapFloat32(backend, dW)],
    [batchSize, inChannels, outHeight, outWidth, paddedHeight, paddedWidth, filterWidth, outChannels],
    patchSize / 4,
    wasm,
  )
  release(backend, work)
  return dW
}

/**
 * Rows of dW in groups of 4 (groups [from, to)), every panel of each, summed over blocks of output pixels:
 * rows of one image when an image has more than 512, else whole images. Up to 32 groups at a time
 * share a block of a panel while it is in cache. Arrays: padded (channel-major, per image), packed dy
 * panels, dW; params: batchSize, inChannels, outHeight, outWidth, paddedHeight, paddedWidth, filterWidth,
 * outChannels. Split across helper threads, so only its arguments and globals.
 */
const filterGradientRows: SplitKernel = (arrays, params, from, to, wasm) => {
  const [padded, packed, dW] = arrays
  const [batchSize, inChannels, outHeight, outWidth, paddedHeight, paddedWidth, filterWidth, n] = params
  const product = wasm!.filterGradient4x8
  const panels = n / 8
  const pixels = batchSize * outHeight * outWidth
  const imageFloats = paddedHeight * paddedWidth
  const runBytes = (paddedWidth - outWidth) * 4
  const imageBytes = (paddedHeight - outHeight) * paddedWidth * 4
  const imagePixels = outHeight * outWidth
  // A block: `rows` output rows of `images` images from pixel `first` on.
  const wholeImages = imagePixels <= 512
  const images = wholeImages ? Math.max(1, Math.floor(512 / imagePixels)) : 1
  const rows = wholeImages ? outHeight : Math.max(1, Math.floor(512 / outWidth))
  const pointers = new Array<number>(32 * 4).fill(0)
  for (let g0 = from; g0 < to; g0 += 32) {
    const g1 = Math.min(to, g0 + 32)
    for (let i = 0; i < (g1 - g0) * 4; i++) {
      // Row (kh, kw, ci) of dW: channel ci's plane of image 0, shifted by the tap.
      const row = g0 * 4 + i
      const ci = row % inChannels
      const tap = (row - ci) / inChannels
      const kw = tap % filterWidth
      const kh = (tap - kw) / filterWidth
      pointers[i] = padded.byteOffset + (ci * batchSize * imageFloats + kh * paddedWidth + kw) * 4
    }
    let more = 0
    for (let b0 = 0; b0 < batchSize; b0 += images) {
      const count = Math.min(images, batchSize - b0)
      for (let oh0 = 0; oh0 < outHeight; oh0 += rows) {
        const runs = Math.min(rows, outHeight - oh0)
        const skip = (b0 * imageFloats + oh0 * paddedWidth) * 4
        const first = (b0 * outHeight + oh0) * outWidth
        for (let p = 0; p < panels; p++) {
          const bp = packed.byteOffset + (p * pixels + first) * 32
          for (let g = g0; g < g1; g++) {
            const at = (g - g0) * 4
            const c = dW.byteOffset + (g * 4 * n + p * 8) * 4
            const a0 = pointers[at] + skip
            const a1 = pointers[at + 1] + skip
            const a2 = pointers[at + 2] + skip
            const a3 = pointers[at + 3] + skip
            product(a0, a1, a2, a3, bp, c, outWidth, n, runs, runBytes, count, imageBytes, more)
          }
        }
        more = 1
      }
    }
  }
}
