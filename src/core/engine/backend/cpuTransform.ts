// tf.image.transform (the Transform kernel) for the pure-JS cpu backend. tfjs-backend-cpu 4.22 returns from
// inside its loop over the batch, so only the first image is transformed and every other one comes back as
// the fill value: CASS's augmentation (rotations, flips, perspective through tf.image.transform) blacked out
// all but one image per batch on the cpu backend. wasm's own kernel is right (cpuTransform.test.ts). This is
// tfjs-cpu's arithmetic (TensorFlow's ImageProjectiveTransformV3) over every image.
import {
  Transform,
  util,
  type DataType,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type TransformAttrs,
} from '@tensorflow/tfjs'
import { replaceKernel } from './replaceKernel'

type FillMode = TransformAttrs['fillMode']

/** Where an input coordinate outside [0, len − 1] reads from, per fill mode (TensorFlow's map_coordinate). */
function mapCoordinate(at: number, len: number, mode: FillMode): number {
  if (mode === 'nearest') return util.clamp(0, at, len - 1)
  if (mode === 'constant' || (at >= 0 && at <= len - 1)) return at
  if (len <= 1) return 0
  let c = at
  if (mode === 'reflect') {
    const period = 2 * len
    if (c < 0) {
      if (c < period) c = period * Math.trunc(-c / period) + c
      c = c < -len ? c + period : -c - 1
    } else {
      c -= period * Math.trunc(c / period)
      if (c >= len) c = period - c - 1
    }
  } else if (c < 0) c += len * (Math.trunc(-c / (len - 1)) + 1)
  else c -= len * Math.trunc(c / (len - 1))
  return util.clamp(0, c, len - 1)
}

/** `out` is [batch, outHeight, outWidth, channels], the image [batch, height, width, channels]. */
function transformImages(
  image: ArrayLike<number>,
  shape: number[],
  transforms: ArrayLike<number>,
  attrs: TransformAttrs,
  out: { values: Float32Array | Int32Array; height: number; width: number },
): void {
  const [batch, height, width, channels] = shape
  const { height: outHeight, width: outWidth } = out
  out.values.fill(attrs.fillValue)
  const read = (b: number, y: number, x: number, c: number) =>
    y >= 0 && y < height && x >= 0 && x < width
      ? image[((b * height + y) * width + x) * channels + c]
      : attrs.fillValue
  for (let b = 0; b < batch; b++) {
    const t = transforms.length === 8 ? 0 : 8 * b
    const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from({ length: 8 }, (_, k) => transforms[t + k])
    for (let outY = 0; outY < outHeight; outY++) {
      for (let outX = 0; outX < outWidth; outX++) {
        const projection = c0 * outX + c1 * outY + 1
        // Points at infinity are outside the image: they keep the fill value.
        if (projection === 0) continue
        const x = mapCoordinate((a0 * outX + a1 * outY + a2) / projection, width, attrs.fillMode)
        const y = mapCoordinate((b0 * outX + b1 * outY + b2) / projection, height, attrs.fillMode)
        const at = ((b * outHeight + outY) * outWidth + outX) * channels
        for (let c = 0; c < channels; c++) {
          if (attrs.interpolation === 'nearest') {
            out.values[at + c] = read(b, Math.round(y), Math.round(x), c)
            continue
          }
          const y0 = Math.floor(y)
          const x0 = Math.floor(x)
          const top = (x0 + 1 - x) * read(b, y0, x0, c) + (x - x0) * read(b, y0, x0 + 1, c)
          const bottom = (x0 + 1 - x) * read(b, y0 + 1, x0, c) + (x - x0) * read(b, y0 + 1, x0 + 1, c)
          out.values[at + c] = (y0 + 1 - y) * top + (y - y0) * bottom
        }
      }
    }
  }
}

interface CpuBackend {
  data: { get(dataId: object): { values: ArrayLike<number> } }
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array | Int32Array): TensorInfo
}

const cpuTransformConfig: KernelConfig = {
  kernelName: Transform,
  backendName: 'cpu',
  kernelFunc: ((args: {
    inputs: { image: TensorInfo; transforms: TensorInfo }
    backend: CpuBackend
    attrs: TransformAttrs
  }) => {
    const { image, transforms } = args.inputs
    const [batch, height, width, channels] = image.shape
    const [outHeight, outWidth] = args.attrs.outputShape ?? [height, width]
    const shape = [batch, outHeight, outWidth, channels]
    const out = util.getTypedArrayFromDType(image.dtype as 'float32', util.sizeFromShape(shape))
    transformImages(
      args.backend.data.get(image.dataId).values,
      image.shape,
      args.backend.data.get(transforms.dataId).values,
      args.attrs,
      { values: out, height: outHeight, width: outWidth },
    )
    return args.backend.makeTensorInfo(shape, image.dtype, out)
  }) as unknown as KernelFunc,
}

/** Puts ours in place of tfjs-cpu's Transform (idempotent). */
export function registerCpuTransform(): void {
  replaceKernel(cpuTransformConfig)
}
