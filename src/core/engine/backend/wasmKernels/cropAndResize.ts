// CropAndResize for wasm. tfjs-wasm's own kernel (4.22) gets some boxes wrong: a crop spanning the image's
// whole width, resized to that same width, with its bottom edge on the image's (box [y1, 0, 1, 1], crop as
// wide as the image) comes back with rows off by up to the pixel range. DINO's and CASS's random resized
// crops draw such boxes (RandomResizedCrop's centre-crop fallback is one), so on wasm some views were wrong.
// This is TensorFlow's CropAndResize (tfjs-cpu's arithmetic in doubles, so the same bits as the cpu backend).
import {
  CropAndResize,
  util,
  type CropAndResizeAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { heapValues, wrapWasmKernel, type BackendWasm } from './wasmKernelCall'

interface CropInputs {
  image: Float32Array
  /** [batch, height, width, channels] */
  imageShape: number[]
  boxes: Float32Array
  boxIndex: Int32Array
}

function cropAndResizeInto(input: CropInputs, out: Float32Array, attrs: CropAndResizeAttrs): void {
  const { image, imageShape, boxes, boxIndex } = input
  const [batch, height, width, channels] = imageShape
  const [cropHeight, cropWidth] = attrs.cropSize
  const { method, extrapolationValue } = attrs
  const imageStrides = [height * width * channels, width * channels, channels]
  const outStrides = [cropHeight * cropWidth * channels, cropWidth * channels, channels]
  // TensorFlow leaves the crop of a box whose image index is out of range as zeros.
  out.fill(0)
  for (let b = 0; b < boxIndex.length; b++) {
    const [y1, x1, y2, x2] = boxes.subarray(4 * b, 4 * b + 4)
    const source = boxIndex[b]
    if (source < 0 || source >= batch) continue
    const heightScale = cropHeight > 1 ? ((y2 - y1) * (height - 1)) / (cropHeight - 1) : 0
    const widthScale = cropWidth > 1 ? ((x2 - x1) * (width - 1)) / (cropWidth - 1) : 0
    const base = source * imageStrides[0]
    for (let y = 0; y < cropHeight; y++) {
      const row = b * outStrides[0] + y * outStrides[1]
      const yIn = cropHeight > 1 ? y1 * (height - 1) + y * heightScale : 0.5 * (y1 + y2) * (height - 1)
      if (yIn < 0 || yIn > height - 1) {
        out.fill(extrapolationValue, row, row + outStrides[1])
        continue
      }
      const top = Math.floor(yIn)
      const bottom = Math.ceil(yIn)
      const yLerp = yIn - top
      for (let x = 0; x < cropWidth; x++) {
        const at = row + x * channels
        const xIn = cropWidth > 1 ? x1 * (width - 1) + x * widthScale : 0.5 * (x1 + x2) * (width - 1)
        if (xIn < 0 || xIn > width - 1) {
          out.fill(extrapolationValue, at, at + channels)
          continue
        }
        if (method === 'nearest') {
          const from = base + Math.round(yIn) * imageStrides[1] + Math.round(xIn) * imageStrides[2]
          for (let c = 0; c < channels; c++) out[at + c] = image[from + c]
          continue
        }
        const left = Math.floor(xIn)
        const right = Math.ceil(xIn)
        const xLerp = xIn - left
        const topLeft = base + top * imageStrides[1] + left * imageStrides[2]
        const topRight = base + top * imageStrides[1] + right * imageStrides[2]
        const bottomLeft = base + bottom * imageStrides[1] + left * imageStrides[2]
        const bottomRight = base + bottom * imageStrides[1] + right * imageStrides[2]
        for (let c = 0; c < channels; c++) {
          const upper = image[topLeft + c] + (image[topRight + c] - image[topLeft + c]) * xLerp
          const lower = image[bottomLeft + c] + (image[bottomRight + c] - image[bottomLeft + c]) * xLerp
          out[at + c] = upper + (lower - upper) * yLerp
        }
      }
    }
  }
}

export function cropAndResizeConfig(): KernelConfig {
  return wrapWasmKernel(
    CropAndResize,
    (original) =>
      (args: {
        inputs: { image: TensorInfo; boxes: TensorInfo; boxInd: TensorInfo }
        backend: BackendWasm
        attrs: CropAndResizeAttrs
      }) => {
        const { inputs, backend, attrs } = args
        const { image, boxes, boxInd } = inputs
        // Integer images go through the original kernel, which casts them first.
        if (image.dtype !== 'float32' || boxes.dtype !== 'float32' || boxInd.dtype !== 'int32')
          return original.kernelFunc(args as never)
        util.assert(image.shape.length === 4, () => 'cropAndResize: the image must be rank 4')
        const [cropHeight, cropWidth] = attrs.cropSize
        const out = backend.makeOutput([boxes.shape[0], cropHeight, cropWidth, image.shape[3]], 'float32')
        cropAndResizeInto(
          {
            image: heapValues(backend, image) as Float32Array,
            imageShape: image.shape,
            boxes: heapValues(backend, boxes) as Float32Array,
            boxIndex: heapValues(backend, boxInd) as Int32Array,
          },
          heapValues(backend, out) as Float32Array,
          attrs,
        )
        return out
      },
  )
}
