// Layer normalisation over the last axis (torch.nn.LayerNorm: biased variance, eps inside the square root) as
// two kernels, one per direction, registered for the pure-JS cpu backend and for wasm, like batch norm's
// (batchNormKernels.ts). As tfjs ops (moments, a cast, broadcasts and all their gradients) it was ~11 ops
// forward and ~20 backward over the whole activation, 4 s of the 8 s a Swin-UNet paper step spent outside its
// matrix products on two threads; here it is 2 passes forward and 3 backward. Each row's statistics and sums are
// accumulated in float64. For x as rows of C:
//   forward:  μ, σ² (biased) per row;  r = 1/√(σ² + eps);  x̂ = (x − μ)·r;  y = x̂·w + b
//   backward: g = dy·w;  dx = r·(g − Σg/C − x̂·Σ(g·x̂)/C);  dw = Σ_rows dy·x̂;  db = Σ_rows dy
// Rows split across threads, and the weight's gradient by columns, so every value is computed by the same
// code in the same order at any thread count. On wasm, rows whole vectors long (C a multiple of 4) go through
// WebAssembly passes instead (wasmKernels/layerNormPasses.ts, layerNormWasm.ts), the same maths with the
// vector arithmetic in float32: forward and backward on [3136, 96] 6.2 → 1.1 ms on one thread.
import { type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs'
import type { HeapModule } from './heapThreads'
import { kernelStorage } from './kernelStorage'
import { replaceKernel } from './replaceKernel'
import { heapModule } from './wasmKernels/heapModule'
import { layerNormModuleBytes } from './wasmKernels/layerNormWasm'
import {
  layerNormForwardRowsWasm,
  layerNormInputGradientRowsWasm,
  layerNormWeightGradientColumnsWasm,
} from './wasmKernels/layerNormPasses'
import { release, type BackendWasm } from './wasmKernels/wasmKernelCall'

export const LayerNormTrain = 'S4miLayerNorm'
export const LayerNormTrainGrad = 'S4miLayerNormGrad'

/**
 * Forward over rows [from, to). Arrays: x, weight, bias, then the outputs y, mean, invStd (one per row);
 * params: [eps]. Shipped to helper threads as source (heapThreads.ts): only its arguments and globals.
 */
export function layerNormForwardRows(
  arrays: Float32Array[],
  params: number[],
  from: number,
  to: number,
): void {
  const [x, weight, bias, y, mean, invStd] = arrays
  const eps = params[0]
  const c = weight.length
  for (let row = from; row < to; row++) {
    const start = row * c
    let sum = 0
    let sumSquares = 0
    for (let k = 0; k < c; k++) {
      const v = x[start + k]
      sum += v
      sumSquares += v * v
    }
    const mu = sum / c
    const r = 1 / Math.sqrt(Math.max(0, sumSquares / c - mu * mu) + eps)
    mean[row] = mu
    invStd[row] = r
    for (let k = 0; k < c; k++) y[start + k] = (x[start + k] - mu) * r * weight[k] + bias[k]
  }
}

/**
 * dx over rows [from, to). Arrays: dy, x, mean, invStd, weight, then the output dx; params: none. Shipped to
 * helper threads as source.
 */
export function layerNormInputGradientRows(
  arrays: Float32Array[],
  params: number[],
  from: number,
  to: number,
): void {
  const [dy, x, mean, invStd, weight, dx] = arrays
  const c = weight.length
  for (let row = from; row < to; row++) {
    const start = row * c
    const mu = mean[row]
    const r = invStd[row]
    let sumG = 0
    let sumGXhat = 0
    for (let k = 0; k < c; k++) {
      const g = dy[start + k] * weight[k]
      sumG += g
      sumGXhat += g * (x[start + k] - mu) * r
    }
    const meanG = sumG / c
    const meanGXhat = sumGXhat / c
    for (let k = 0; k < c; k++) {
      const xhat = (x[start + k] - mu) * r
      dx[start + k] = r * (dy[start + k] * weight[k] - meanG - xhat * meanGXhat)
    }
  }
}

/**
 * dw and db over columns [from, to): sums down all rows. Arrays: dy, x, mean, invStd, then the outputs
 * dWeight, dBias; params: [C]. Shipped to helper threads as source.
 */
export function layerNormWeightGradientColumns(
  arrays: Float32Array[],
  params: number[],
  from: number,
  to: number,
): void {
  const [dy, x, mean, invStd, dWeight, dBias] = arrays
  const c = params[0]
  const width = to - from
  const sumDyXhat = new Float64Array(width)
  const sumDy = new Float64Array(width)
  for (let row = 0, start = 0; row < mean.length; row++, start += c) {
    const mu = mean[row]
    const r = invStd[row]
    for (let k = 0; k < width; k++) {
      const g = dy[start + from + k]
      sumDy[k] += g
      sumDyXhat[k] += g * (x[start + from + k] - mu) * r
    }
  }
  for (let k = 0; k < width; k++) {
    dWeight[from + k] = sumDyXhat[k]
    dBias[from + k] = sumDy[k]
  }
}

type Args = { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap; backend: unknown }

// The WebAssembly passes split only from 1 M floats: a Swin stage-1 norm, [3136, 96], forward and backward took
// 1.1 ms on one thread and 1.8 ms split over two; one of [50176, 96], 14.7 and 11.1 ms.
const smallestSplit = 1 << 20

/** The module for a wasm call whose rows are whole vectors long, or null (the JavaScript kernels then). */
function simdModule(backendName: 'cpu' | 'wasm', backend: unknown, c: number): HeapModule | null {
  return backendName === 'wasm' && c % 4 === 0
    ? heapModule(backend as BackendWasm, layerNormModuleBytes)
    : null
}

function configs(backendName: 'cpu' | 'wasm'): KernelConfig[] {
  const storage = (backend: unknown) => kernelStorage(backendName, backend, 'layer norm')
  const forward = ({ inputs, attrs, backend }: Args) => {
    const store = storage(backend)
    const { x, weight, bias } = inputs
    const c = weight.shape[0]
    const rows = x.shape.reduce((p, q) => p * q, 1) / c
    const outs = [store.make(x.shape), store.make([rows]), store.make([rows])]
    const wasm = simdModule(backendName, backend, c)
    if (wasm == null) {
      const arrays = [x, weight, bias, ...outs].map(store.read)
      store.run(layerNormForwardRows, arrays, [attrs.eps as number], rows)
      return outs
    }
    const sums = store.make([8 * rows])
    const arrays = [x, weight, bias, ...outs, sums].map(store.read)
    store.run(layerNormForwardRowsWasm, arrays, [attrs.eps as number, c], rows, { wasm, smallestSplit })
    release(backend as BackendWasm, sums)
    return outs
  }
  const backward = ({ inputs, backend }: Args) => {
    const store = storage(backend)
    const { dy, x, mean, invStd, weight } = inputs
    const c = weight.shape[0]
    const rows = mean.shape[0]
    const outs = [store.make(x.shape), store.make([c]), store.make([c])]
    const wasm = simdModule(backendName, backend, c)
    if (wasm == null) {
      const [dyV, xV, meanV, invStdV, weightV, dx, dWeight, dBias] = [
        ...[dy, x, mean, invStd, weight],
        ...outs,
      ].map(store.read)
      store.run(layerNormInputGradientRows, [dyV, xV, meanV, invStdV, weightV, dx], [], rows)
      store.run(layerNormWeightGradientColumns, [dyV, xV, meanV, invStdV, dWeight, dBias], [c], c)
      return outs
    }
    const scratch = [store.make([Math.max(8 * rows, 4 * c)]), store.make([2 * rows])]
    const [dyV, xV, meanV, invStdV, weightV, dx, dWeight, dBias, sums, coefficients] = [
      ...[dy, x, mean, invStd, weight],
      ...outs,
      ...scratch,
    ].map(store.read)
    const common = [dyV, xV, meanV, invStdV]
    store.run(layerNormInputGradientRowsWasm, [...common, weightV, dx, sums, coefficients], [c], rows, {
      wasm,
      smallestSplit,
    })
    store.run(layerNormWeightGradientColumnsWasm, [...common, dWeight, dBias, sums], [c], c / 4, {
      wasm,
      smallestSplit,
    })
    release(backend as BackendWasm, ...scratch)
    return outs
  }
  return [
    { kernelName: LayerNormTrain, backendName, kernelFunc: forward as unknown as KernelFunc },
    { kernelName: LayerNormTrainGrad, backendName, kernelFunc: backward as unknown as KernelFunc },
  ]
}

const configsByBackend = { cpu: configs('cpu'), wasm: configs('wasm') }

/** The two kernels' configs for a backend (the same objects every call, so registering twice is a no-op). */
export function layerNormKernelConfigs(backendName: 'cpu' | 'wasm'): KernelConfig[] {
  return configsByBackend[backendName]
}

/** Registers both kernels for `backendName` (idempotent). */
export function registerLayerNormKernels(backendName: 'cpu' | 'wasm'): void {
  for (const config of layerNormKernelConfigs(backendName)) replaceKernel(config)
}
