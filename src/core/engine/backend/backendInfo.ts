// What a backend choice is and how it is reported: shared by the whole chain (selectBackend.ts, Node) and its
// GPU steps inside Chromium (gpuBackend.ts, the sandboxed GPU window), so neither imports Node here.

export type BackendChoice = 'node-gpu' | 'webgpu' | 'webgl' | 'node' | 'wasm' | 'cpu'
/** The whole chain, fastest first. */
export const backendChoices: BackendChoice[] = ['node-gpu', 'webgpu', 'webgl', 'node', 'wasm', 'cpu']
/** A run's host beside the GPU window: it only reads images and predicts them after training. */
export const cpuChoices: BackendChoice[] = ['node', 'wasm', 'cpu']

/** Why the desktop app never trains on tfjs-node-gpu: the chain's first step, skipped there with this reason. */
export const NODE_GPU_IN_DESKTOP_APP =
  'tfjs-node-gpu cannot be checked for a GPU inside the desktop app (Electron no longer runs as Node); use the CLI or serve mode for libtensorflow on the GPU'

/** No backend of the chain started; `reasons` says why, per backend, in the order tried. */
export class NoBackendError extends Error {
  constructor(readonly reasons: Partial<Record<BackendChoice, string>>) {
    super(
      `no tfjs backend could start:\n${Object.entries(reasons)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}`,
    )
  }
}

export interface BackendInfo {
  /** Our name for the choice (what `S4MI_BACKEND` accepts). */
  name: BackendChoice
  /** tfjs's backend name: 'tensorflow', 'webgpu', 'webgl', 'wasm' or 'cpu'. */
  tfjsBackend: string
  /** Where the maths runs, for people: e.g. 'GPU:0 (NVIDIA RTX 4070)', 'CPU (libtensorflow)', 'CPU (WebAssembly SIMD)'. */
  device: string
  accelerated: boolean
  /** True for wasm and pure JS: training paper-sized models will take hours to days. */
  slowFallback: boolean
  warning?: string
  /** CPU threads the maths runs on (wasm: its XNNPACK pool; libtensorflow: all cores; GPU backends: 1). */
  threads: number
  /** Why each faster backend was skipped, in order tried. */
  skipped: string[]
}

/** One line for status bars, `s4mi info --backend` and run records. */
export function describeBackend(info: BackendInfo): string {
  const speed = info.accelerated ? 'accelerated' : info.slowFallback ? 'SLOW FALLBACK' : 'not accelerated'
  return `${info.name} on ${info.device} [${speed}]${info.warning ? ` — ${info.warning}` : ''}`
}
