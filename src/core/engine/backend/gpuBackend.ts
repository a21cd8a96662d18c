// The WebGPU and WebGL2 steps of the backend chain, for code that runs inside Chromium: the desktop app's GPU
// training window, and the GPU test page that bundles this file for the browser (so: no Node imports here).
// A software adapter (SwiftShader, lavapipe, llvmpipe, Microsoft's Basic Render Driver) is correct but slower
// than our CPU path, so it is never chosen for speed; a forced backend (tests) may use one, and says so.
import * as tf from '@tensorflow/tfjs'
import { NoBackendError, type BackendInfo } from './backendInfo'

export type GpuChoice = 'webgpu' | 'webgl'

export interface GpuStart {
  /** For people: 'GPU (WebGPU: nvidia ampere)', 'GPU (WebGL2: ANGLE (Apple, M2, Metal))'. */
  device: string
  software: boolean
}

const softwareNames = /swiftshader|llvmpipe|lavapipe|softpipe|basic render|software/i

/** Whether an adapter's or renderer's name (or WebGPU's fallback flag) says it is a CPU rasteriser. */
export function isSoftwareAdapter(name: string, fallbackAdapter = false): boolean {
  return fallbackAdapter || softwareNames.test(name)
}

/** Chromium here, as opposed to Node: a page, a worker, or a window with Node integration. */
export function inChromium(): boolean {
  const g = globalThis as { window?: { document?: unknown }; navigator?: { userAgent?: string } }
  return g.window?.document != null && /Chrome\//.test(g.navigator?.userAgent ?? '')
}

interface AdapterInfo {
  vendor?: string
  architecture?: string
  device?: string
  description?: string
  isFallbackAdapter?: boolean
}
interface Adapter {
  info?: AdapterInfo
  isFallbackAdapter?: boolean
  requestAdapterInfo?(): Promise<AdapterInfo>
}
interface WebGl {
  RENDERER: number
  getParameter(name: number): unknown
  getExtension(name: string): { UNMASKED_RENDERER_WEBGL?: number; loseContext?(): void } | null
}

async function webgpuAdapter(): Promise<GpuStart> {
  const gpu = (
    globalThis as { navigator?: { gpu?: { requestAdapter(o: unknown): Promise<Adapter | null> } } }
  ).navigator?.gpu
  if (!gpu) throw new Error('this Chromium offers no WebGPU (navigator.gpu is missing)')
  // tfjs asks for the high-performance adapter too (unless WEBGPU_USE_LOW_POWER_GPU is set).
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
  if (!adapter) throw new Error('Chromium found no WebGPU adapter')
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {}
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ')
  return {
    device: `GPU (WebGPU: ${name.trim() || 'adapter without a name'})`,
    software: isSoftwareAdapter(name, info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
  }
}

function webglRenderer(): GpuStart {
  const g = globalThis as {
    OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown }
  }
  if (!g.OffscreenCanvas) throw new Error('no OffscreenCanvas here to open a WebGL2 context')
  const gl = new g.OffscreenCanvas(1, 1).getContext('webgl2') as WebGl | null
  if (!gl) throw new Error('Chromium offers no WebGL2 context')
  const named = gl.getExtension('WEBGL_debug_renderer_info')
  const renderer = String(gl.getParameter(named?.UNMASKED_RENDERER_WEBGL ?? gl.RENDERER))
  gl.getExtension('WEBGL_lose_context')?.loseContext?.()
  return { device: `GPU (WebGL2: ${renderer})`, software: isSoftwareAdapter(renderer) }
}

/**
 * Finds the adapter for `choice` and starts tfjs's backend on it. Throws, with the reason for the chain's
 * record, when there is none, when it is a software adapter and `allowSoftware` is false, or when it cannot
 * read results back synchronously.
 */
export async function startGpuBackend(choice: GpuChoice, allowSoftware: boolean): Promise<GpuStart> {
  if (!inChromium()) throw new Error('runs only inside Chromium')
  const found = choice === 'webgpu' ? await webgpuAdapter() : webglRenderer()
  if (found.software && !allowSoftware)
    throw new Error(`only a software adapter, ${found.device}, which is never used for speed`)
  // Registers tfjs's 'webgpu' backend (tfjs itself brings 'webgl').
  if (choice === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu')
  if (!(await tf.setBackend(choice))) throw new Error(`tfjs's ${choice} backend did not start`)
  await tf.ready()
  readBackCheck()
  return found
}

/**
 * The methods read losses and scores synchronously (dataSync). tfjs reads WebGPU synchronously through a canvas,
 * which needs Chromium's compositor to take WebGPU canvases; where it does not (headless Chromium with its
 * software compositor, seen here), the read returns zeros and the device is lost. Such a backend is skipped.
 */
function readBackCheck(): void {
  const squares = tf.tidy(() => tf.square(tf.tensor1d([1, 2, 3])))
  let read: number[]
  try {
    read = Array.from(squares.dataSync())
  } finally {
    squares.dispose()
  }
  if (read.join() !== '1,4,9')
    throw new Error(
      `its synchronous read-back is broken here ([1, 2, 3] squared read as [${read.join(', ')}]), and training reads losses that way`,
    )
}

/** The chain's record of a GPU backend started on `choice` (a software adapter only when `forced`). */
export async function gpuBackendInfo(choice: GpuChoice, forced: boolean): Promise<BackendInfo> {
  const started = await startGpuBackend(choice, forced)
  return {
    name: choice,
    tfjsBackend: choice,
    device: started.device,
    accelerated: !started.software,
    slowFallback: started.software,
    ...(started.software
      ? { warning: 'A software GPU adapter: the numbers are right but it is slower than the CPU backends.' }
      : {}),
    threads: 1,
    skipped: [],
  }
}

/**
 * The GPU window's part of the chain, WebGPU then WebGL2, with the reason each was skipped; `skipped` are the
 * reasons of the steps before it that the window cannot take (tfjs-node-gpu needs Node). `forced` (tests, or
 * S4MI_BACKEND) tries that one alone and may use a software adapter. Throws NoBackendError with the reasons.
 */
export async function selectGpuBackend(
  options: { forced?: GpuChoice; skipped?: string[] } = {},
): Promise<BackendInfo> {
  const reasons: Partial<Record<GpuChoice, string>> = {}
  for (const choice of options.forced ? [options.forced] : (['webgpu', 'webgl'] as const)) {
    try {
      const info = await gpuBackendInfo(choice, options.forced != null)
      const tried = Object.entries(reasons).map(([k, v]) => `${k}: ${v}`)
      return { ...info, skipped: [...(options.skipped ?? []), ...tried] }
    } catch (e) {
      reasons[choice] = e instanceof Error ? e.message.split('\n')[0] : String(e)
    }
  }
  throw new NoBackendError(reasons)
}
