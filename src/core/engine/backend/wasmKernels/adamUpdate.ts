// One Adam step for one parameter as a single kernel on the wasm backend (adamUpdateWasm.ts), split across the
// backend's threads: inputs param, grad, m, v; outputs [param′, m′, v′]. adam.ts runs it wherever the active
// backend registers it and composes tfjs ops elsewhere; both give the same bits on wasm.
import { util, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs'
import { heapThreadsOf, runSplit, type SplitKernel } from '../heapThreads'
import { adamDecayKinds, adamModuleBytes, type AdamDecay } from './adamUpdateWasm'
import { heapModule } from './heapModule'
import { heapFloat32, type BackendWasm } from './wasmKernelCall'

export const AdamUpdate = 'S4miAdamUpdate'

/** The step's numbers, computed once per step by adam.ts (each is rounded to float32, as a tfjs scalar is). */
export interface AdamUpdateAttrs {
  decay: AdamDecay
  /** 'l2': the weight decay; 'decoupled': 1 − lr · weight decay; 'none': unused. */
  decayFactor: number
  beta1: number
  beta2: number
  epsilon: number
  /** √(1 − β₂ᵗ) */
  sqrtCorrection2: number
  /** lr / (1 − β₁ᵗ) */
  stepSize: number
}

/**
 * Elements [4096·from, 4096·to) of arrays param, grad, m, v, param′, m′, v′: whole vectors in the module
 * (`wasm`), the last length mod 4 here with every operation rounded to float32 as the module's are. Shipped to
 * helper threads as source (heapThreads.ts): only its arguments and globals. params: [kind (its index in
 * adamDecayKinds: 0 none, 1 l2, 2 decoupled), decay factor, β₁, 1 − β₁, β₂, 1 − β₂, √(1 − β₂ᵗ), ε, step size].
 */
export const adamElements: SplitKernel = (arrays, params, from, to, wasm) => {
  // No named inner functions: a bundler may wrap them in a helper the worker's copy of this source lacks.
  const [p, g, m, v, pOut, mOut, vOut] = arrays
  const f = Math.fround
  const kind = params[0]
  const [d, b1, ob1, b2, ob2, c2, eps, step] = params.slice(1).map(f)
  const start = from * 4096
  const end = Math.min(to * 4096, p.length)
  const vectors = (end - start) >> 2
  if (vectors > 0) {
    const o = start * 4
    wasm![`adam${kind}`](
      p.byteOffset + o,
      g.byteOffset + o,
      m.byteOffset + o,
      v.byteOffset + o,
      pOut.byteOffset + o,
      mOut.byteOffset + o,
      vOut.byteOffset + o,
      vectors,
      d,
      b1,
      ob1,
      b2,
      ob2,
      c2,
      eps,
      step,
    )
  }
  for (let i = start + 4 * vectors; i < end; i++) {
    let gi = g[i]
    let pi = p[i]
    if (kind === 1) gi = f(gi + f(pi * d))
    if (kind === 2) pi = f(pi * d)
    const mi = f(f(m[i] * b1) + f(gi * ob1))
    const vi = f(f(v[i] * b2) + f(f(gi * gi) * ob2))
    mOut[i] = mi
    vOut[i] = vi
    pOut[i] = f(pi - f(f(mi / f(f(f(Math.sqrt(vi)) / c2) + eps)) * step))
  }
}

function adamUpdate(args: { inputs: Record<string, TensorInfo>; backend: BackendWasm; attrs: NamedAttrMap }) {
  const { inputs, backend } = args
  const attrs = args.attrs as unknown as AdamUpdateAttrs
  const { param, grad, m, v } = inputs
  const size = util.sizeFromShape(param.shape)
  for (const [name, t] of Object.entries({ grad, m, v })) {
    if (util.sizeFromShape(t.shape) !== size)
      throw new Error(`Adam update: ${name} has shape [${t.shape}], the parameter [${param.shape}]`)
  }
  const wasm = heapModule(backend, adamModuleBytes)
  if (wasm == null) throw new Error('Adam update: the wasm heap is not reachable')
  const outs = [param, m, v].map((t) => backend.makeOutput(t.shape, 'float32'))
  // Views after the last allocation: one may grow the heap.
  const arrays = [param, grad, m, v, ...outs].map((t) => heapFloat32(backend, t))
  const params = [
    adamDecayKinds.indexOf(attrs.decay),
    attrs.decayFactor,
    attrs.beta1,
    1 - attrs.beta1,
    attrs.beta2,
    1 - attrs.beta2,
    attrs.sqrtCorrection2,
    attrs.epsilon,
    attrs.stepSize,
  ]
  runSplit(heapThreadsOf(backend, size), adamElements, arrays, params, Math.ceil(size / 4096), wasm)
  return outs
}

export const adamUpdateConfig: KernelConfig = {
  kernelName: AdamUpdate,
  backendName: 'wasm',
  kernelFunc: adamUpdate as unknown as KernelConfig['kernelFunc'],
}
