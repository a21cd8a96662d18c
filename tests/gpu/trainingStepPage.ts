// The Chromium page of the GPU equivalence test: tfjs with its WebGPU and WebGL backends runs the shared
// training step and hands the numbers back to the test (as globalThis.s4miStep).
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-webgpu'
import { startGpuBackend } from '../../src/core/engine/backend/gpuBackend'
import type { PageGlobals } from './chromiumGpu'
import { trainingStep } from './trainingStepCases'
import {
  cassPretraining,
  dinoPretraining,
  supervisedTraining,
  type MethodNumbers,
} from './methodTrainingCase'

type Gl = { RENDERER: number; getParameter(name: number): unknown }

const step: PageGlobals['s4miStep'] = async (backend, name) => {
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} did not start`)
  const numbers = await trainingStep(name)
  const b = tf.backend() as unknown as {
    adapterInfo?: { vendor?: string; architecture?: string }
    gpgpu?: { gl?: Gl }
  }
  const gl = b.gpgpu?.gl
  const adapter = b.adapterInfo
    ? `${b.adapterInfo.vendor ?? ''} ${b.adapterInfo.architecture ?? ''}`.trim()
    : gl
      ? String(gl.getParameter(gl.RENDERER))
      : ''
  return { ...numbers, adapter }
}

const startGpu: PageGlobals['s4miStartGpu'] = async (backend, allowSoftware) => {
  try {
    const started = await startGpuBackend(backend, allowSoftware)
    return { ok: true, ...started, backend: tf.getBackend() }
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) }
  }
}

// The GPU training window has Node's globals; a plain page stands in for it with this one.
const g = globalThis as { setImmediate?: (f: () => void) => unknown }
g.setImmediate ??= (f) => setTimeout(f, 0)

const method: PageGlobals['s4miMethod'] = async (backend, name) => {
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} did not start`)
  const train: Record<typeof name, () => Promise<MethodNumbers>> = {
    supervised: supervisedTraining,
    dino: dinoPretraining,
    cass: cassPretraining,
  }
  return train[name]()
}

;(globalThis as unknown as PageGlobals).s4miStep = step
;(globalThis as unknown as PageGlobals).s4miMethod = method
;(globalThis as unknown as PageGlobals).s4miStartGpu = startGpu
