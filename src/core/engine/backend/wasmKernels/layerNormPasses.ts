// Layer normalisation's kernels on wasm (layerNormKernels.ts registers them): the module's passes over rows
// (layerNormWasm.ts) with each row's few scalar steps here between them, split across threads by rows, and the
// weight's gradient by vectors of columns. Shipped to helper threads as source (heapThreads.ts): each uses
// only its arguments and globals.
import type { SplitKernel } from '../heapThreads'

/**
 * The forward on wasm over rows [from, to), through the module (layerNormWasm.ts): moments, then each row's
 * mean and invStd here, then the output. Arrays: x, weight, bias, y, mean, invStd, then 8 floats of room per
 * row for the sums; params: [eps, C]. Shipped to helper threads as source.
 */
export const layerNormForwardRowsWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [x, weight, bias, y, mean, invStd, sums] = arrays
  const [eps, c] = params
  const rows = to - from
  if (rows <= 0) return
  const at = 4 * from * c
  wasm!.moments(x.byteOffset + at, sums.byteOffset + 32 * from, rows, c / 4)
  const s = new Float64Array(sums.buffer, sums.byteOffset + 32 * from, 4 * rows)
  for (let i = 0; i < rows; i++) {
    const mu = (s[4 * i] + s[4 * i + 1]) / c
    mean[from + i] = mu
    invStd[from + i] = 1 / Math.sqrt(Math.max(0, (s[4 * i + 2] + s[4 * i + 3]) / c - mu * mu) + eps)
  }
  const [meanAt, invStdAt] = [mean.byteOffset + 4 * from, invStd.byteOffset + 4 * from]
  wasm!.normalise(
    x.byteOffset + at,
    y.byteOffset + at,
    weight.byteOffset,
    bias.byteOffset,
    meanAt,
    invStdAt,
    rows,
    c / 4,
  )
}

/**
 * dx on wasm over rows [from, to). Arrays: dy, x, mean, invStd, weight, dx, then room for 8 floats (sums) and
 * 2 floats (coefficients) per row; params: [C]. Shipped to helper threads as source.
 */
export const layerNormInputGradientRowsWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [dy, x, mean, invStd, weight, dx, sums, coefficients] = arrays
  const c = params[0]
  const rows = to - from
  if (rows <= 0) return
  const at = 4 * from * c
  const [meanAt, invStdAt] = [mean.byteOffset + 4 * from, invStd.byteOffset + 4 * from]
  wasm!.gradientSums(
    dy.byteOffset + at,
    x.byteOffset + at,
    weight.byteOffset,
    meanAt,
    invStdAt,
    sums.byteOffset + 32 * from,
    rows,
    c / 4,
  )
  const s = new Float64Array(sums.buffer, sums.byteOffset + 32 * from, 4 * rows)
  for (let i = 0; i < rows; i++) {
    coefficients[2 * (from + i)] = (s[4 * i] + s[4 * i + 1]) / c
    coefficients[2 * (from + i) + 1] = (s[4 * i + 2] + s[4 * i + 3]) / c
  }
  const coefficientsAt = coefficients.byteOffset + 8 * from
  wasm!.inputGradient(
    dy.byteOffset + at,
    x.byteOffset + at,
    weight.byteOffset,
    meanAt,
    invStdAt,
    coefficientsAt,
    dx.byteOffset + at,
    rows,
    c / 4,
  )
}

/**
 * dw and db on wasm over vectors of columns [from, to). Arrays: dy, x, mean, invStd, dWeight, dBias, then room
 * for 16 floats (8 doubles) per vector; params: [C]. Shipped to helper threads as source.
 */
export const layerNormWeightGradientColumnsWasm: SplitKernel = (arrays, params, from, to, wasm) => {
  const [dy, x, mean, invStd, dWeight, dBias, sums] = arrays
  const c = params[0]
  const vectors = to - from
  if (vectors <= 0) return
  const acc = new Float64Array(sums.buffer, sums.byteOffset + 64 * from, 8 * vectors)
  acc.fill(0)
  wasm!.weightGradient(
    dy.byteOffset + 16 * from,
    x.byteOffset + 16 * from,
    mean.byteOffset,
    invStd.byteOffset,
    sums.byteOffset + 64 * from,
    mean.length,
    vectors,
    4 * c,
  )
  for (let v = 0; v < vectors; v++) {
    for (let j = 0; j < 4; j++) {
      dWeight[4 * (from + v) + j] = acc[8 * v + j]
      dBias[4 * (from + v) + j] = acc[8 * v + 4 + j]
    }
  }
}
