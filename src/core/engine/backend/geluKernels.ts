// GELU (torch.nn.GELU(), the exact erf form) as two kernels, one per direction, registered for the pure-JS cpu
// backend and for wasm, like layer norm's (layerNormKernels.ts). As tfjs ops it is 4 element-wise ops and an erf
// forward and about 9 backward, each a pass over the activation (a Swin-UNet's stage-1 MLP holds 1.2 M values
// per image): a Swin-UNet paper step spent about 1.3 s in them on one thread and no less on two. Here it is one
// pass each way, split across threads on wasm.
//   forward:  y = ½x·(1 + erf(x/√2))
//   backward: dx = dy·(Φ(x) + x·φ(x)),  Φ(x) = ½(1 + erf(x/√2)),  φ(x) = e^(−x²/2)/√(2π)
// erf is Abramowitz & Stegun 7.1.26 with tfjs's constants (its cpu and WebGL Erf). On wasm the vectors go
// through WebAssembly (wasmKernels/expErfWasm.ts, run as Exp and Erf are: expErf.ts), whose forward has the bits of the composed ops on wasm; the
// cpu kernels compute each value in float64 and round once.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs'
import type { SplitKernel } from './heapThreads'
import { kernelStorage } from './kernelStorage'
import { replaceKernel } from './replaceKernel'
import { elementwiseOnHeap } from './wasmKernels/expErf'
import type { BackendWasm } from './wasmKernels/wasmKernelCall'

export const GeluFused = 'S4miGelu'
export const GeluFusedGrad = 'S4miGeluGrad'

/**
 * Values [from, to) in float64, JavaScript. arrays: [x, y] forward, [x, dy, dx] backward; params: [backward
 * (0 or 1), then erf's p and a₁…a₅]. Shipped to helper threads as source: only its arguments and globals.
 */
export const geluValues: SplitKernel = (arrays, params, from, to) => {
  const [backward, p, a1, a2, a3, a4, a5] = params
  const x = arrays[0]
  for (let i = from; i < to; i++) {
    const v = x[i]
    const u = v * Math.SQRT1_2
    const abs = Math.abs(u)
    const t = 1 / (1 + p * abs)
    const e = 1 - ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t * Math.exp(-abs * abs)
    const cdf = 0.5 * (1 + (u < 0 ? -e : e))
    if (backward === 0) arrays[1][i] = v * cdf
    else arrays[2][i] = arrays[1][i] * (cdf + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI))
  }
}

const erfConstants = [
  backend_util.ERF_P,
  backend_util.ERF_A1,
  backend_util.ERF_A2,
  backend_util.ERF_A3,
  backend_util.ERF_A4,
  backend_util.ERF_A5,
]

// As Exp and Erf (wasmKernels/expErf.ts): below 256 K floats a helper's wake-up is a fair part of the work.
const smallestSplit = 1 << 18

type Args = { inputs: Record<string, TensorInfo>; backend: unknown }

function configs(backendName: 'cpu' | 'wasm'): KernelConfig[] {
  const kernel = (backward: boolean) => (args: Args) => {
    const { x, dy } = args.inputs
    const inputs = backward ? [x, dy] : [x]
    const name = backward ? GeluFusedGrad : GeluFused
    for (const info of inputs) {
      if (info.dtype !== 'float32') throw new Error(`${name} kernel: expected float32, got ${info.dtype}`)
    }
    if (backendName === 'wasm') {
      const out = elementwiseOnHeap(args.backend as BackendWasm, backward ? 'geluGrad' : 'gelu', inputs)
      if (out != null) return out
    }
    const store = kernelStorage(backendName, args.backend, name)
    const out = store.make(x.shape)
    const arrays = [...inputs, out].map(store.read)
    store.run(geluValues, arrays, [backward ? 1 : 0, ...erfConstants], arrays[0].length, { smallestSplit })
    return out
  }
  return [
    { kernelName: GeluFused, backendName, kernelFunc: kernel(false) as unknown as KernelFunc },
    { kernelName: GeluFusedGrad, backendName, kernelFunc: kernel(true) as unknown as KernelFunc },
  ]
}

const configsByBackend = { cpu: configs('cpu'), wasm: configs('wasm') }

/** The two kernels' configs for a backend (the same objects every call, so registering twice is a no-op). */
export function geluKernelConfigs(backendName: 'cpu' | 'wasm'): KernelConfig[] {
  return configsByBackend[backendName]
}

/** Registers both kernels for `backendName` (idempotent). */
export function registerGeluKernels(backendName: 'cpu' | 'wasm'): void {
  for (const config of geluKernelConfigs(backendName)) replaceKernel(config)
}
