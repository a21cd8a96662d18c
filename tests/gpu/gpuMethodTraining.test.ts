// Whole training methods on tfjs's WebGPU and WebGL backends (headless Chromium, SwiftShader) as the GPU
// training window runs them: the supervised segmentation method's per-step losses and test scores, and DINO's
// and CASS's per-step losses, equal the WebAssembly backend's within a stated tolerance. No method knows its
// backend.
// Tolerance: each step's loss within 1e-3 relative, scores within 0.01 (the backends sum in different orders
// and optimiser steps compound it; the worst measured is printed, 4.7e-7 and one test pixel of IoU when
// this was written).
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useWasmBackend } from '../../src/core/engine/backend/wasmBackend'
import { chromiumAvailable, CHROMIUM, openGpuPage, type GpuBackend, type GpuPage } from './chromiumGpu'
import {
  cassPretraining,
  dinoPretraining,
  supervisedTraining,
  type MethodNumbers,
} from './methodTrainingCase'

const LOSS_TOLERANCE = 1e-3
const SCORE_TOLERANCE = 0.01

function worstLossError(got: MethodNumbers, ref: MethodNumbers): number {
  if (got.losses.length !== ref.losses.length) return Infinity
  return Math.max(...ref.losses.map((r, i) => Math.abs(got.losses[i] - r) / Math.abs(r)))
}

const methods = { supervised: supervisedTraining, dino: dinoPretraining, cass: cassPretraining }
type MethodName = keyof typeof methods

describe.skipIf(!chromiumAvailable())(`training methods on WebGPU and WebGL = wasm (${CHROMIUM})`, () => {
  let page: GpuPage
  const reference = new Map<MethodName, MethodNumbers>()

  beforeAll(async () => {
    await useWasmBackend()
    for (const [name, train] of Object.entries(methods)) reference.set(name as MethodName, await train())
    page = await openGpuPage()
  }, 120_000)

  afterAll(async () => {
    await page?.close()
    tf.disposeVariables()
  })

  const cases = (['webgpu', 'webgl'] as GpuBackend[]).flatMap((b) =>
    (Object.keys(methods) as MethodName[]).map((m) => [b, m] as const),
  )
  it.each(cases)(
    '%s, %s: every step loss and the scores as on wasm',
    async (backend, name) => {
      const ref = reference.get(name)!
      const got = await page.method(backend, name)
      expect(got.losses).toHaveLength(ref.losses.length)
      expect(ref.losses.every((l) => Number.isFinite(l) && l !== 0)).toBe(true)
      const worst = worstLossError(got, ref)
      expect(worst).toBeLessThan(LOSS_TOLERANCE)
      for (const [metric, value] of Object.entries(ref.metrics))
        expect(Math.abs(got.metrics[metric] - value), metric).toBeLessThan(SCORE_TOLERANCE)
      console.log(
        `${backend} ${name}: ${got.losses.length} steps, worst loss error ${worst.toExponential(1)}` +
          (ref.metrics.testIou != null
            ? `; testIou ${got.metrics.testIou} (wasm ${ref.metrics.testIou})`
            : ''),
      )
    },
    300_000,
  )

  it('would catch a different training: another seed is far outside the tolerance', async () => {
    expect(worstLossError(await supervisedTraining(2), reference.get('supervised')!)).toBeGreaterThan(
      LOSS_TOLERANCE * 10,
    )
    expect(worstLossError(await dinoPretraining(4), reference.get('dino')!)).toBeGreaterThan(
      LOSS_TOLERANCE * 10,
    )
  }, 120_000)
})
