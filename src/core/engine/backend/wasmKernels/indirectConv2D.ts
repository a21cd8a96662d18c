// A convolution on our matrix product's kernels (gemmWasm.ts) as an indirect GEMM, the scheme XNNPACK's own
// convolutions use: output pixels are the rows of A, and each row's "patch" is read in place from the
// (zero-padded) NHWC input, one contiguous run of filterWidth · inChannels floats per filter row, instead of
// being copied out first (im2col). The filter [KH, KW, Cin, Cout] is B as it lies ([KH·KW·Cin, Cout]), packed
// into panels of 8 columns once per call. A 4 × 8 block of the output keeps its sum over every tap in
// registers and is stored once. XNNPACK's convolutions ran at 13–16 GMAC/s on one thread of this machine
// inside a ResNet-34 U-Net step (5 Dec); our product runs at 19–22 at the same sizes.
//
// Each output element is computed by the same instructions in the same order at any thread count (threads
// take whole groups of 4 rows), so results are bit for bit those of one thread.
import { backend_util, type TensorInfo } from '@tensorflow/tfjs'
import { runSplit, type SplitKernel } from '../heapThreads'
import { copyThreads, gemmModule, packOperand, productThreads } from './gemm'
import { heapFloat32, release, type BackendWasm } from './wasmKernelCall'

/**
 * conv(x, filter) for an NHWC float32 conv without dilation, any stride and padding, into a new tensor.
 * Null when our module cannot reach the heap or the geometry is one we leave to XNNPACK (dilated, negative
 * padding, an empty one, or one XNNPACK runs faster: worthIt).
 */
export function indirectConv2D(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null
  if (padInfo.top < 0 || padInfo.left < 0 || padInfo.bottom < 0 || padInfo.right < 0) return null
  const rows = batchSize * outHeight * outWidth
  if (rows === 0 || !worthIt(info)) return null
  const wasm = gemmModule(backend)
  if (wasm == null) return null

  const { paddedHeight, paddedWidth } = paddedExtent(info)
  const padded = paddedHeight !== inHeight || paddedWidth !== inWidth
  const paddedFloats = padded ? batchSize * paddedHeight * paddedWidth * inChannels : 0
  const k = filterHeight * filterWidth * inChannels
  const panels = Math.ceil(outChannels / 8)
  const groups = Math.ceil(rows / 4)
  // A block cut by N's end (or by the last rows) is stored into its group's 32 floats and copied from there.
  const slots = outChannels % 8 === 0 ? 1 : groups

  const out = backend.makeOutput([batchSize, outHeight, outWidth, outChannels], 'float32')
  const work = backend.makeOutput([paddedFloats + panels * k * 8 + slots * 32], 'float32')
  // Views after the last allocation: one may grow the heap.
  const heap = heapFloat32(backend, work)
  const image = padded ? heap.subarray(0, paddedFloats) : heapFloat32(backend, x)
  const packed = heap.subarray(paddedFloats, paddedFloats + panels * k * 8)
  const scratch = heap.subarray(paddedFloats + panels * k * 8)
  if (padded) {
    runSplit(
      copyThreads(backend, paddedFloats),
      padImages,
      [heapFloat32(backend, x), image],
      [inHeight, inWidth, inChannels, paddedHeight, paddedWidth, padInfo.top, padInfo.left],
      batchSize * paddedHeight,
    )
  }
  packOperand(backend, wasm, heapFloat32(backend, filter), packed, { k, n: outChannels })
  const multiplyAdds = rows * k * outChannels
  runSplit(
    productThreads(backend, multiplyAdds),
    convolveRows,
    [image, packed, heapFloat32(backend, out), scratch],
    [
      rows,
      outChannels,
      outHeight,
      outWidth,
      paddedHeight,
      paddedWidth,
      inChannels,
      filterHeight,
      filterWidth,
    ].concat([strideHeight, strideWidth]),
    groups,
    wasm,
  )
  release(backend, work)
  return out
}

/**
 * The zero-padded input's height and width: every tap of every output pixel must land inside it (tfjs's
 * 'same' pads the bottom and right by what the last stride needs, which may be less than the filter's reach
 * at a coarse stride).
 */
export function paddedExtent(info: backend_util.Conv2DInfo): { paddedHeight: number; paddedWidth: number } {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, padInfo } = info
  return {
    paddedHeight: Math.max(
      inHeight + padInfo.top + padInfo.bottom,
      (outHeight - 1) * info.strideHeight + filterHeight,
    ),
    paddedWidth: Math.max(
      inWidth + padInfo.left + padInfo.right,
      (outWidth - 1) * info.strideWidth + filterWidth,
    ),
  }
}

/**
 * Whether ours beats XNNPACK. It did at every paper-sized layer timed (one thread, batch 4, 5 Dec: 3 × 3
 * convs from 16 to 512 channels 1.3–1.6×, the 7 × 7 stem on 3 channels 1.5×), but not with fewer than 8
 * output channels, where most of a panel of 8 is padding (3 × 3, 16 → 2 at 224 px: 19.3 against 15.9 ms;
 * 16 → 5 equal), nor with short runs per filter row (3 × 3 over 2 channels, 6 floats: 8.2 against 5.4 ms).
 */
function worthIt(info: backend_util.Conv2DInfo): boolean {
  return info.outChannels >= 8 && info.filterWidth * info.inChannels >= 16
}

/**
 * Padded rows [from, to) (index = image · paddedHeight + row): the input's row where it lands, zeros around
 * it. Arrays: x, padded; params: inHeight, inWidth, inChannels, paddedHeight, paddedWidth, top, left. Split
 * across helper threads, so only its arguments and globals. (The filter gradient pads channel-major planes
 * with it: one channel, an image per (channel, image).)
 */
export const padImages: SplitKernel = (arrays, params, from, to) => {
  const [x, padded] = arrays
  const [inHeight, inWidth, inChannels, paddedHeight, paddedWidth, top, left] = params
  const rowFloats = paddedWidth * inChannels
  const leftFloats = left * inChannels
  const runFloats = inWidth * inChannels
  for (let i = from; i < to; i++) {
    const b = Math.floor(i / paddedHeight)
    const ih = i - b * paddedHeight - top
    const dst = i * rowFloats
    if (ih < 0 || ih >= inHeight) {
      padded.fill(0, dst, dst + rowFloats)
      continue
    }
    if (leftFloats > 0) padded.fill(0, dst, dst + leftFloats)
    const src = (b * inHeight + ih) * runFloats
    padded.set(x.subarray(src, src + runFloats), dst + leftFloats)
    padded.fill(0, dst + leftFloats + runFloats, dst + rowFloats)
  }
}

/**
 * Output rows in groups of 4 (groups [from, to)), every panel of each: the 4 pixels' patch pointers into the
 * padded image, then conv4x8 over all filter rows. Up to 32 groups at a time share a panel while it is in
 * cache. Arrays: image (padded NHWC), packed filter panels, out, scratch; params: rows, outChannels,
 * outHeight, outWidth, paddedHeight, paddedWidth, inChannels, filterHeight, filterWidth, strideHeight,
 * strideWidth. Split across helper threads, so only its arguments and globals.
 */
const convolveRows: SplitKernel = (arrays, params, from, to, wasm) => {
  const [image, packed, out, scratch] = arrays
  const [rows, n, outHeight, outWidth, paddedHeight, paddedWidth, inChannels] = params
  const [filterHeight, filterWidth, strideHeight, strideWidth] = params.slice(7)
  const conv = wasm!.conv4x8
  const panels = Math.ceil(n / 8)
  const fullPanels = Math.floor(n / 8)
  const tapFloats = filterWidth * inChannels
  const panelBytes = filterHeight * tapFloats * 32
  const tapBytes = (paddedWidth - filterWidth) * inChannels * 4
  const pixels = outHeight * outWidth
  const slotted = n % 8 !== 0
  const pointers = new Array<number>(32 * 4).fill(0)
  for (let g0 = from; g0 < to; g0 += 32) {
    const g1 = Math.min(to, g0 + 32)
    for (let g = g0; g < g1; g++) {
      for (let r = 0; r < 4; r++) {
        // Past the last row (the last group), a copy of the last row's pointer: computed, never stored.
        const q = Math.min(g * 4 + r, rows - 1)
        const b = Math.floor(q / pixels)
        const oh = Math.floor((q - b * pixels) / outWidth)
        const ow = q - b * pixels - oh * outWidth
        const pixel = (b * paddedHeight + oh * strideHeight) * paddedWidth + ow * strideWidth
        pointers[(g - g0) * 4 + r] = image.byteOffset + pixel * inChannels * 4
      }
    }
    for (let p = 0; p < panels; p++) {
      const bp = packed.byteOffset + p * panelBytes
      for (let g = g0; g < g1; g++) {
        const r0 = g * 4
        const count = Math.min(4, rows - r0)
        const at = (g - g0) * 4
        const a0 = pointers[at]
        const a1 = pointers[at + 1]
        const a2 = pointers[at + 2]
        const a3 = pointers[at + 3]
        if (p < fullPanels && count === 4) {
          conv(
            a0,
            a1,
            a2,
            a3,
            bp,
            out.byteOffset + (r0 * n + p * 8) * 4,
            tapFloats,
            n,
            filterHeight,
            tapBytes,
            1,
            0,
            0,
          )
          continue
        }
        const slot = slotted ? g * 32 : 0
        conv(a0, a1, a2, a3, bp, scratch.byteOffset + slot * 4, tapFloats, 8, filterHeight, tapBytes)
        const width = Math.min(8, n - p * 8)
        for (let r = 0; r < count; r++)
          for (let t = 0; t < width; t++) out[(r0 + r) * n + p * 8 + t] = scratch[slot + r * 8 + t]
      }
    }
  }
}
