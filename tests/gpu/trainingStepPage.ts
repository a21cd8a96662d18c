// The Chromium page of the GPU equivalence test: tfjs with its WebGPU and WebGL backends runs the shared
// training step and hands the numbers back to the test (as globalThis.s4miStep).
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-webgpu'
import type { PageGlobals } from './chromiumGpu'
import { trainingStep } from './trainingStepCases'

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

;(globalThis as unknown as PageGlobals).s4miStep = step
