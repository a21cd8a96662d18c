// UnsortedSegmentSum for wasm: the gradient of gather (embedding and index lookups). A scatter-add has no
// XNNPACK primitive; one pass over the rows is the whole cost.
import {
  UnsortedSegmentSum,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs'
import type { BackendWasm } from './wasmKernelCall'

export function unsortedSegmentSum(args: {
  inputs: { x: TensorInfo; segmentIds: TensorInfo }
  backend: BackendWasm
  attrs: UnsortedSegmentSumAttrs
}): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, segmentIds } = inputs
  const { numSegments } = attrs
  const idRank = segmentIds.shape.length
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1)
  const rowShape = x.shape.slice(idRank)
  const rowSize = rowShape.reduce((a, b) => a * b, 1)
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype)
  const outValues = backend.typedArrayFromHeap(out)
  const xValues = backend.typedArrayFromHeap(x)
  const ids = backend.typedArrayFromHeap(segmentIds)
  outValues.fill(0)
  for (let r = 0; r < rows; r++) {
    const segment = ids[r]
    // Like TensorFlow: negative or out-of-range ids are dropped.
    if (segment < 0 || segment >= numSegments) continue
    const src = r * rowSize
    const dst = segment * rowSize
    for (let i = 0; i < rowSize; i++) outValues[dst + i] += xValues[src + i]
  }
  return out
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
}
