// The conv geometry a gradient kernel works from, computed from its attrs as tfjs's own kernels do.
import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
} from '@tensorflow/tfjs'

type Shape4 = [number, number, number, number]

/** A plain conv's geometry (no dilation); `kernel` names the gradient kernel, which takes NHWC only. */
export function nhwcConv2DInfo(
  kernel: string,
  xShape: Shape4,
  filterShape: Shape4,
  attrs: Omit<Conv2DBackpropFilterAttrs, 'filterShape'>,
): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
    throw new Error(`wasm ${kernel} supports dataFormat NHWC only, got '${dataFormat}'`)
  }
  return backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode)
}

/**
 * A conv's taps as the numbers the split im2col and col2im kernels take (heapThreads.ts passes numbers only):
 * filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft.
 */
export function convTaps(info: backend_util.Conv2DInfo): number[] {
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info
  return [filterHeight, filterWidth, strideHeight, strideWidth, info.padInfo.top, info.padInfo.left]
}

/**
 * A 1 × 1 filter at stride 1 that adds no padding: the conv is the matrix product x [N·H·W, Cin] · filter
 * [Cin, Cout] (a dilation changes nothing for a 1 × 1 filter).
 */
export function isPointwise(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth
  )
}

/** A depthwise conv's geometry, dilations included. */
export function depthwiseConv2DInfo(
  xShape: Shape4,
  filterShape: Shape4,
  attrs: Omit<DepthwiseConv2dNativeBackpropFilterAttrs, 'filterShape'>,
): backend_util.Conv2DInfo {
  const { strides, dilations, pad, dimRoundingMode } = attrs
  return backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, dimRoundingMode, true)
}
