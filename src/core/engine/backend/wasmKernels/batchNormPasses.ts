// Batch normalisation's kernels on wasm (batchNormKernels.ts registers them): the module's passes over rows
// (batchNormWasm.ts) with each channel's few scalar steps here between them, the same expressions as the
// JavaScript kernels. The sums split across threads by vectors of 4 channels (each channel's sum in one
// thread, in row order), the element-wise passes by rows (each thread on its own stretch of memory). Shipped to
// helper threads as source (heapThreads.ts): each uses only its arguments and globals.
import type { SplitKernel } from '../heapThreads'

/**
 * The forward's statistics over channel vectors [from, to): mean, variance and each channel's scale and shift
 * (in the scratch after the sums). Arrays: x, weight, bias, mean, variance, then room for 10 floats per
 * channel; params: [eps, C, rows].
 */
export const batchNormStatisticsWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [x, weight, bias, mean, variance, scratch] = arrays
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
}

/** y = x·scale + shift over rows [from, to). Arrays: x, y, the statistics' scratch; params: [C]. */
export const batchNormAffineWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [x, y, scratch] = arrays
  const c = params[0]
  if (to <= from) return
  const at = 4 * c * from
  wasm!.affine(x.byteOffset + at, y.byteOffset + at, scratch.byteOffset + 16 * c, to - from, c / 4, 4 * c)
}

/**
 * The backward's sums over channel vectors [from, to): dWeight, dBias and each channel's coefficients of dx (in
 * the scratch after the sums). Arrays: dy, x, mean, variance, weight, dWeight, dBias, then room for 10 floats
 * per channel; params: [eps, C, rows].
 */
export const batchNormGradientSumsWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [dy, x, mean, variance, weight, dWeight, dBias, scratch] = arrays
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
}

/** dx = (a·dy + b·x) + d over rows [from, to). Arrays: dy, x, dx, the sums' scratch; params: [C]. */
export const batchNormInputGradientWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [dy, x, dx, scratch] = arrays
  const c = params[0]
  if (to <= from) return
  const at = 4 * c * from
  const coefficientsAt = scratch.byteOffset + 16 * c
  wasm!.affine2(
    dy.byteOffset + at,
    x.byteOffset + at,
    dx.byteOffset + at,
    coefficientsAt,
    to - from,
    c / 4,
    4 * c,
  )
}
