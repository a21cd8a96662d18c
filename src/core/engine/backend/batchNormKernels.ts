// Training-mode batch normalisation over the last axis as two kernels, one per direction, registered for the
// pure-JS cpu backend and for wasm (working on its heap in place, no copies). As separate tfjs ops (moments,
// broadcasts and their gradients) the same maths is ~6 full passes forward and ~12 backward with as many
// temporary tensors; here it is 2 forward and 2 backward. Statistics are accumulated in float64.
//   forward:  μ, σ² (biased) per channel;  y = (x − μ)·w/σ + b,  σ = √(σ² + eps)
//   backward: x̂ = (x − μ)/σ;  dw = Σ dy·x̂;  db = Σ dy;  dx = w/σ · (dy − db/n − x̂·dw/n)
// On wasm, channels in whole vectors of 4 go through WebAssembly passes instead (wasmKernels/batchNormPasses.ts,
// batchNormWasm.ts), the same float64 arithmetic in the same order, so the same bits.
import { type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs'
import type { HeapModule } from './heapThreads'
import { kernelStorage, type KernelStorage } from './kernelStorage'
import { replaceKernel } from './replaceKernel'
import {
  batchNormAffineWasm,
  batchNormGradientSumsWasm,
  batchNormInputGradientWasm,
  batchNormStatisticsWasm,
} from './wasmKernels/batchNormPasses'
import { batchNormModuleBytes } from './wasmKernels/batchNormWasm'
import { heapModule } from './wasmKernels/heapModule'
import { release, type BackendWasm } from './wasmKernels/wasmKernelCall'

export const BatchNormTrain = 'S4miBatchNormTrain'
export const BatchNormTrainGrad = 'S4miBatchNormTrainGrad'

/**
 * Forward over channels [from, to) (all by default). Arrays: x, weight, bias, then the outputs y, mean,
 * variance. Shipped to helper threads as source (heapThreads.ts): only its arguments and globals.
 */
export function batchNormForwardChannels(
  arrays: Float32Array[],
  params: number[],
  from = 0,
  to = arrays[1].length,
): void {
  const [x, weight, bias, y, mean, variance] = arrays
  const eps = params[0]
  const c = weight.length
  const n = x.length / c
  const width = to - from
  // One pass for both sums: in float64, Σx²/n − μ² loses nothing a float32 activation can hold unless its
  // mean is ~10⁴ standard deviations from zero.
  const sum = new Float64Array(width)
  const sumSquares = new Float64Array(width)
  for (let i = from; i < x.length; i += c) {
    for (let k = 0; k < width; k++) {
      const v = x[i + k]
      sum[k] += v
      sumSquares[k] += v * v
    }
  }
  const scale = new Float64Array(width)
  const shift = new Float64Array(width)
  for (let k = 0; k < width; k++) {
    const mu = sum[k] / n
    const v = Math.max(0, sumSquares[k] / n - mu * mu)
    mean[from + k] = mu
    variance[from + k] = v
    scale[k] = weight[from + k] / Math.sqrt(v + eps)
    shift[k] = bias[from + k] - mu * scale[k]
  }
  for (let i = from; i < x.length; i += c)
    for (let k = 0; k < width; k++) y[i + k] = x[i + k] * scale[k] + shift[k]
}

/**
 * Backward over channels [from, to). Arrays: dy, x, mean, variance, weight, then the outputs dx, dWeight,
 * dBias. Shipped to helper threads as source, like the forward.
 */
export function batchNormBackwardChannels(
  arrays: Float32Array[],
  params: number[],
  from = 0,
  to = arrays[4].length,
): void {
  const [dy, x, mean, variance, weight, dx, dWeight, dBias] = arrays
  const eps = params[0]
  const c = weight.length
  const n = x.length / c
  const width = to - from
  const invStd = new Float64Array(width)
  for (let k = 0; k < width; k++) invStd[k] = 1 / Math.sqrt(variance[from + k] + eps)
  // Σ dy·x̂ = (Σ dy·x − μ·Σ dy)/σ, so one product per element.
  const sumDy = new Float64Array(width)
  const sumDyX = new Float64Array(width)
  for (let i = from; i < x.length; i += c) {
    for (let k = 0; k < width; k++) {
      const g = dy[i + k]
      sumDy[k] += g
      sumDyX[k] += g * x[i + k]
    }
  }
  // dx = a·dy + b·x + d per channel.
  const a = new Float64Array(width)
  const b = new Float64Array(width)
  const d = new Float64Array(width)
  for (let k = 0; k < width; k++) {
    const sumDyXhat = (sumDyX[k] - mean[from + k] * sumDy[k]) * invStd[k]
    a[k] = weight[from + k] * invStd[k]
    b[k] = (-a[k] * invStd[k] * sumDyXhat) / n
    d[k] = -a[k] * (sumDy[k] / n) - b[k] * mean[from + k]
    dWeight[from + k] = sumDyXhat
    dBias[from + k] = sumDy[k]
  }
  for (let i = from; i < x.length; i += c) {
    for (let k = 0; k < width; k++) dx[i + k] = a[k] * dy[i + k] + b[k] * x[i + k] + d[k]
  }
}

/** Either kernel's outputs: one shaped like x, then two per channel (x's last axis). */
function makeOutputs(store: KernelStorage, x: TensorInfo): [TensorInfo, TensorInfo, TensorInfo] {
  const c = x.shape[x.shape.length - 1]
  return [store.make(x.shape), store.make([c]), store.make([c])]
}

/** The module of passes (whole vectors of channels on the wasm heap), or null for the JavaScript kernels. */
function simdModule(backendName: 'cpu' | 'wasm', backend: unknown, c: number): HeapModule | null {
  return backendName === 'wasm' && c % 4 === 0 && c > 0
    ? heapModule(backend as BackendWasm, batchNormModuleBytes)
    : null
}

function forwardKernel(
  backendName: 'cpu' | 'wasm',
  backend: unknown,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
) {
  const store = storage(backendName, backend)
  const { x, weight, bias } = inputs
  const c = weight.shape[0]
  const outs = makeOutputs(store, x)
  const wasm = simdModule(backendName, backend, c)
  const n = x.shape.reduce((p, q) => p * q, 1) / c
  if (wasm == null) {
    const arrays = [x, weight, bias, ...outs].map(store.read)
    store.run(batchNormForwardChannels, arrays, [attrs.eps as number], c)
    return outs
  }
  const scratch = store.make([10 * c])
  const [xV, weightV, biasV, y, mean, variance, scratchV] = [x, weight, bias, ...outs, scratch].map(
    store.read,
  )
  const eps = attrs.eps as number
  store.run(batchNormStatisticsWasm, [xV, weightV, biasV, mean, variance, scratchV], [eps, c, n], c / 4, {
    wasm,
  })
  store.run(batchNormAffineWasm, [xV, y, scratchV], [c], n, { wasm })
  release(backend as BackendWasm, scratch)
  return outs
}

function backwardKernel(
  backendName: 'cpu' | 'wasm',
  backend: unknown,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
) {
  const store = storage(backendName, backend)
  const { dy, x, mean, variance, weight } = inputs
  const c = weight.shape[0]
  const outs = makeOutputs(store, x)
  const wasm = simdModule(backendName, backend, c)
  const n = x.shape.reduce((p, q) => p * q, 1) / c
  if (wasm == null) {
    const arrays = [dy, x, mean, variance, weight, ...outs].map(store.read)
    store.run(batchNormBackwardChannels, arrays, [attrs.eps as number], c)
    return outs
  }
  const scratch = store.make([10 * c])
  const [dyV, xV, meanV, varianceV, weightV, dx, dWeight, dBias, scratchV] = [
    ...[dy, x, mean, variance, weight],
    ...outs,
    scratch,
  ].map(store.read)
  const sums = [dyV, xV, meanV, varianceV, weightV, dWeight, dBias, scratchV]
  store.run(batchNormGradientSumsWasm, sums, [attrs.eps as number, c, n], c / 4, { wasm })
  store.run(batchNormInputGradientWasm, [dyV, xV, dx, scratchV], [c], n, { wasm })
  release(backend as BackendWasm, scratch)
  return outs
}

const storage = (backendName: 'cpu' | 'wasm', backend: unknown) =>
  kernelStorage(backendName, backend, 'batch norm')

function configs(backendName: 'cpu' | 'wasm'): KernelConfig[] {
  type Args = { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap; backend: unknown }
  return [
    {
      kernelName: BatchNormTrain,
      backendName,
      kernelFunc: ((args: Args) =>
        forwardKernel(backendName, args.backend, args.inputs, args.attrs)) as KernelFunc,
    },
    {
      kernelName: BatchNormTrainGrad,
      backendName,
      kernelFunc: ((args: Args) =>
        backwardKernel(backendName, args.backend, args.inputs, args.attrs)) as KernelFunc,
    },
  ]
}

const configsByBackend = { cpu: configs('cpu'), wasm: configs('wasm') }

/** The two kernels' configs for a backend (the same objects every call, so registering twice is a no-op). */
export function batchNormKernelConfigs(backendName: 'cpu' | 'wasm'): KernelConfig[] {
  return configsByBackend[backendName]
}

/** Registers both kernels for `backendName` (idempotent). */
export function registerBatchNormKernels(backendName: 'cpu' | 'wasm'): void {
  for (const config of batchNormKernelConfigs(backendName)) replaceKernel(config)
}
