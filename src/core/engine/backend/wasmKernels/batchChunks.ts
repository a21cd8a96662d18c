// The strided conv gradients hold a [rows, taps·inC] matrix per chunk of images (im2col for the filter
// gradient, col2im columns for the input gradient): both chunk the batch the same way.
import { backend_util, type TensorInfo } from '@tensorflow/tfjs'
import { callWasmKernel, withShape, type BackendWasm } from './wasmKernelCall'

// Bounds that matrix (floats): paper-sized layers would otherwise need hundreds of MB at once.
// Exported so tests can force the chunked path on small inputs.
export const batchChunkLimits = { maxPatchFloats: 8 * 1024 * 1024 }

/** Images per chunk: as many as keep the chunk's matrix under the limit, at least one. */
export function imagesPerChunk(info: backend_util.Conv2DInfo): number {
  const { batchSize, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info
  const patchSize = filterHeight * filterWidth * inChannels
  const rowsPerImage = outHeight * outWidth
  return Math.max(
    1,
    Math.min(batchSize, Math.floor(batchChunkLimits.maxPatchFloats / (rowsPerImage * patchSize))),
  )
}

/**
 * dy's rows of images [b0, b0+images) as a [rows, outChannels] matrix: dy itself when that is the whole
 * batch, else a slice the caller releases.
 */
export function dyRowsOf(
  backend: BackendWasm,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  b0: number,
  images: number,
): TensorInfo {
  const { batchSize, outHeight, outWidth, outChannels } = info
  const rowsPerImage = outHeight * outWidth
  const rows = images * rowsPerImage
  return images === batchSize
    ? withShape(dy, [rows, outChannels])
    : callWasmKernel(
        'Slice',
        { x: withShape(dy, [batchSize * rowsPerImage, outChannels]) },
        { begin: [b0 * rowsPerImage, 0], size: [rows, outChannels] },
        backend,
      )
}
