// Batch normalisation's kernels on wasm (batchNormKernels.ts registers them): the module's passes over rows
// (batchNormWasm.ts) with each channel's few scalar steps here between them, the same expressions as the
// JavaScript kernels, split across threads by vectors of 4 channels. Shipped to helper threads as source
// (heapThreads.ts): each uses only its arguments and globals.
import type { SplitKernel } from '../heapThreads'

/**
 * The forward over channel vectors [from, to). Arrays: x, weight, bias, y, mean, variance, then room for 10
 * floats per channel; params: [eps, C, rows].
 */
export const batchNormForwardWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [x, weight, bias, y, mean, variance, scratch] = arrays
  const [eps, c, n] = params
  const count = to - from
  if (count <= 0) return
  const sumsAt = scratch.byteOffset + 64 * from
  const coefficientsAt = scratch.byteOffset + 16 * c + 64 * from
  const sums = new Float64Array(scratch.buffer, sumsAt, 8 * count)
  sums.fill(0)
  wasm!.columnSums(x.byteOffset + 16 * from, x.byteOffset + 16 * from, sumsAt, n, count, 4 * c)
  const coefficients = new Float64Array(scratch.buffer, coefficientsAt, 8 * count)
  for (let v = 0; v < count; v++) {
    for (let lane = 0; lane < 4; lane++) {
      const k = 4 * (from + v) + lane
      const mu = sums[8 * v + lane] / n
      const s = Math.max(0, sums[8 * v + 4 + lane] / n - mu * mu)
      mean[k] = mu
      variance[k] = s
      const scale = weight[k] / Math.sqrt(s + eps)
      coefficients[8 * v + lane] = scale
      coefficients[8 * v + 4 + lane] = bias[k] - mu * scale
    }
  }
  wasm!.affine(x.byteOffset + 16 * from, y.byteOffset + 16 * from, coefficientsAt, n, count, 4 * c)
}

/**
 * The backward over channel vectors [from, to). Arrays: dy, x, mean, variance, weight, dx, dWeight, dBias, then
 * room for 10 floats per channel; params: [eps, C, rows].
 */
export const batchNormBackwardWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [dy, x, mean, variance, weight, dx, dWeight, dBias, scratch] = arrays
  const [eps, c, n] = params
  const count = to - from
  if (count <= 0) return
  const sumsAt = scratch.byteOffset + 64 * from
  const coefficientsAt = scratch.byteOffset + 16 * c + 96 * from
  const sums = new Float64Array(scratch.buffer, sumsAt, 8 * count)
  sums.fill(0)
  wasm!.columnSums(dy.byteOffset + 16 * from, x.byteOffset + 16 * from, sumsAt, n, count, 4 * c)
  const coefficients = new Float64Array(scratch.buffer, coefficientsAt, 12 * count)
  for (let v = 0; v < count; v++) {
    for (let lane = 0; lane < 4; lane++) {
      const k = 4 * (from + v) + lane
      const invStd = 1 / Math.sqrt(variance[k] + eps)
      const sumDy = sums[8 * v + lane]
      const sumDyXhat = (sums[8 * v + 4 + lane] - mean[k] * sumDy) * invStd
      const a = weight[k] * invStd
      const b = (-a * invStd * sumDyXhat) / n
      coefficients[12 * v + lane] = a
      coefficients[12 * v + 4 + lane] = b
      coefficients[12 * v + 8 + lane] = -a * (sumDy / n) - b * mean[k]
      dWeight[k] = sumDyXhat
      dBias[k] = sumDy
    }
  }
  const at = 16 * from
  wasm!.affine2(dy.byteOffset + at, x.byteOffset + at, dx.byteOffset + at, coefficientsAt, n, count, 4 * c)
}
