// Chooses the tfjs backend at start: tfjs-node-gpu when it really runs on the GPU (CUDA) -> WebGPU -> WebGL2
// (both only in Chromium, that is the desktop app's GPU training window; in Node their reasons come from
// gpuAdapters) -> tfjs-node (libtensorflow on the CPU) -> multi-core wasm (with our training kernels) -> pure
// JS. Says which one, on which device, why each earlier one was skipped, and warns when it is slow.
import { spawnSync } from 'node:child_process'
import * as os from 'node:os'
import * as tf from '@tensorflow/tfjs'
import { diagnoseTensorflowGpuLog, gpuFallbackWarning } from './tensorflowGpuLog'
import { useWasmBackend } from './wasmBackend'
import { loadPackage } from './packageResolve'
import { defaultThreadCount, parseThreadCount } from './threadCount'
import { quietTfjsNodeBanner } from './quietTfjs'
import { nodeOnlyGpuReport, type GpuAdapterReport } from '../../../shared/gpuAdapters'
import { gpuBackendInfo, inChromium } from './gpuBackend'
import {
  backendChoices,
  NODE_GPU_IN_DESKTOP_APP,
  NoBackendError,
  type BackendChoice,
  type BackendInfo,
} from './backendInfo'

export {
  backendChoices,
  cpuChoices,
  NoBackendError,
  type BackendChoice,
  type BackendInfo,
} from './backendInfo'

export interface SelectBackendOptions {
  /** Force one backend (else `S4MI_BACKEND`, else the first that works). */
  backend?: BackendChoice
  /** Folder of the wasm binaries (else `S4MI_WASM_DIR`, else node_modules). */
  wasmDir?: string
  /** CPU threads for the wasm backend (else `S4MI_THREADS`, else all cores but one). */
  threads?: number
  /** Why WebGPU and WebGL2 are not used (from the desktop app's Chromium); else: not in Node. */
  gpu?: GpuAdapterReport
  /** The backends to try, in order (default: the whole chain; a GPU run's host: `cpuChoices`). */
  chain?: BackendChoice[]
  env?: NodeJS.ProcessEnv
}

const nodePackages = { 'node-gpu': '@tensorflow/tfjs-node-gpu', node: '@tensorflow/tfjs-node' } as const

function parseChoice(value: string, source: string): BackendChoice {
  if ((backendChoices as string[]).includes(value)) return value as BackendChoice
  throw new Error(`${source}: unknown backend '${value}' (choose one of ${backendChoices.join(', ')})`)
}

function loadNodePackage(choice: 'node-gpu' | 'node'): void {
  // They are optionalDependencies (their install downloads libtensorflow), so they may be absent.
  loadPackage(nodePackages[choice])
}

/** tfjs-node, or else tfjs-node-gpu's libtensorflow on the CPU (its CUDA build works without a GPU). */
function loadCpuLibtensorflow(): string {
  try {
    loadNodePackage('node')
    return nodePackages.node
  } catch (e) {
    try {
      loadNodePackage('node-gpu')
      return nodePackages['node-gpu']
    } catch {
      throw e
    }
  }
}

/**
 * Loads tfjs-node-gpu in a short child process and reads libtensorflow's log: the only place that says whether
 * a GPU device was created. Loading it here would print the same log to our own stderr, unreadable.
 */
function probeNodeGpu(): { device: string | null; warning: string | null } {
  // The installed app's RunAsNode fuse is off (build/electron-builder.yml), so Electron's binary no longer runs
  // as Node: spawning it with -e would start a second app. The chain moves on to the next backend.
  if (process.versions.electron) throw new Error(NODE_GPU_IN_DESKTOP_APP)
  const script = `const tf = require('${nodePackages['node-gpu']}'); tf.tensor([1, 2]).square().dataSync()`
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '0' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (child.status !== 0) {
    const stderr = child.stderr || ''
    const missing = /Cannot find module '([^']+)'/.exec(stderr)
    throw new Error(
      missing
        ? `${missing[1]} is not installed`
        : `tfjs-node-gpu failed to load: ${stderr.trim().split('\n').filter(Boolean).slice(-3).join(' ')}`,
    )
  }
  const diagnosis = diagnoseTensorflowGpuLog(child.stderr ?? '')
  return { device: diagnosis.gpuDevice, warning: gpuFallbackWarning(diagnosis) }
}

function cpuName(): string {
  const cpu = os.cpus()[0]?.model?.trim()
  return `${os.cpus().length} cores${cpu ? `, ${cpu}` : ''}`
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

async function tryBackend(
  choice: BackendChoice,
  options: SelectBackendOptions & { threads: number; forced: boolean },
): Promise<BackendInfo> {
  const skipped: string[] = []
  if (choice === 'webgpu' || choice === 'webgl') {
    // In Node (the utility process, serve mode, the CLI) the reason is what the desktop app's Chromium said.
    if (!inChromium()) throw new Error((options.gpu ?? nodeOnlyGpuReport)[choice])
    return gpuBackendInfo(choice, options.forced)
  }
  if (choice === 'node-gpu') {
    const probe = probeNodeGpu()
    // Only when it really runs on the GPU; on the CPU it is the 'node' step of the chain.
    if (probe.device == null) throw new Error(probe.warning ?? 'tfjs-node-gpu found no GPU device')
    loadNodePackage('node-gpu')
    if (!(await tf.setBackend('tensorflow')))
      throw new Error('tfjs-node-gpu loaded but its backend did not start')
    return {
      name: choice,
      tfjsBackend: 'tensorflow',
      device: probe.device ?? `CPU (libtensorflow; no GPU device: ${cpuName()})`,
      accelerated: probe.device != null,
      slowFallback: false,
      ...(probe.warning ? { warning: probe.warning } : {}),
      threads: probe.device != null ? 1 : os.cpus().length,
      skipped,
    }
  }
  if (choice === 'node') {
    const loaded = loadCpuLibtensorflow()
    if (!(await tf.setBackend('tensorflow')))
      throw new Error('tfjs-node loaded but its backend did not start')
    return {
      name: choice,
      tfjsBackend: 'tensorflow',
      device: `CPU (libtensorflow via ${loaded}, ${cpuName()})`,
      accelerated: true,
      slowFallback: false,
      threads: os.cpus().length,
      skipped,
    }
  }
  if (choice === 'wasm') {
    let threads: number
    try {
      threads = await useWasmBackend(options.wasmDir, options.threads)
    } catch (e) {
      if (options.threads <= 1) throw e
      // The threaded build could not start: say why and train on one thread rather than not at all.
      skipped.push(`wasm with ${options.threads} threads: ${e instanceof Error ? e.message : String(e)}`)
      threads = await useWasmBackend(options.wasmDir, 1)
    }
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
    return {
      name: choice,
      tfjsBackend: 'wasm',
      device: `CPU (WebAssembly${simd ? ' SIMD' : ''}, ${plural(threads, 'thread')}, ${cpuName()})`,
      accelerated: false,
      slowFallback: true,
      warning:
        'Training on WebAssembly: several times slower than tfjs-node and far slower than a GPU. ' +
        'Small presets are fine; paper-sized models will take hours per epoch. Install @tensorflow/tfjs-node.',
      threads,
      skipped,
    }
  }
  await tf.setBackend('cpu')
  return {
    name: 'cpu',
    tfjsBackend: 'cpu',
    device: `CPU (pure JavaScript, ${cpuName()})`,
    accelerated: false,
    slowFallback: true,
    warning:
      'Training on the pure-JavaScript backend: about 100x slower than PyTorch on the same CPU. ' +
      'Use it only for tiny tests; install @tensorflow/tfjs-node or allow the wasm backend.',
    threads: 1,
    skipped,
  }
}

/** Selects and activates a backend. A forced backend that fails is an error, not a silent fallback. */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  quietTfjsNodeBanner()
  const env = options.env ?? process.env
  const threads =
    options.threads != null
      ? parseThreadCount(options.threads, 'threads option')
      : env.S4MI_THREADS
        ? parseThreadCount(env.S4MI_THREADS, 'S4MI_THREADS')
        : defaultThreadCount()
  const forced =
    options.backend != null
      ? parseChoice(options.backend, 'backend option')
      : env.S4MI_BACKEND
        ? parseChoice(env.S4MI_BACKEND, 'S4MI_BACKEND')
        : null
  const wasmDir = options.wasmDir ?? (env.S4MI_WASM_DIR || undefined)
  if (forced) {
    try {
      return await tryBackend(forced, { ...options, wasmDir, threads, forced: true })
    } catch (e) {
      throw new Error(`backend '${forced}' was requested but failed: ${e instanceof Error ? e.message : e}`)
    }
  }
  const reasons: Partial<Record<BackendChoice, string>> = {}
  for (const choice of options.chain ?? backendChoices) {
    try {
      const info = await tryBackend(choice, { ...options, wasmDir, threads, forced: false })
      const skipped = Object.entries(reasons).map(([k, v]) => `${k}: ${v}`)
      return { ...info, skipped: [...skipped, ...info.skipped] }
    } catch (e) {
      reasons[choice] = e instanceof Error ? e.message.split('\n')[0] : String(e)
    }
  }
  throw new NoBackendError(reasons)
}

export { describeBackend } from './backendInfo'
