// A training step on tfjs's WebGPU and WebGL backends (headless Chromium, SwiftShader) gives the loss and the
// gradients of the WebAssembly backend, for a small U-Net, ResNet and ViT. `npm test` runs the ResNet on
// both (SwiftShader is slow); `npm run test:gpu` runs all three.
// Tolerance: loss within 1e-5 relative; each parameter's gradient within 1e-4 of its largest magnitude (the
// backends sum in different orders and the shaders use their own exp/log; the worst measured here was
// 1.2e-5, a batch-norm bias of the ResNet on WebGPU).
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useWasmBackend } from '../../src/core/engine/backend/wasmBackend'
import { chromiumAvailable, CHROMIUM, openGpuPage, type GpuBackend, type GpuPage } from './chromiumGpu'
import { stepCases, trainingStep, type StepCase, type StepNumbers } from './trainingStepCases'

const LOSS_TOLERANCE = 1e-5
const GRADIENT_TOLERANCE = 1e-4

const cases = (process.env.S4MI_GPU_CASES ?? 'resnet').split(',') as StepCase[]

/** Worst gradient difference over all parameters, each relative to that gradient's largest magnitude. */
function worstGradientError(actual: StepNumbers, expected: StepNumbers): { error: number; name: string } {
  let worst = { error: 0, name: '' }
  for (const [name, ref] of Object.entries(expected.grads)) {
    const got = actual.grads[name]
    if (!got || got.length !== ref.length) return { error: Infinity, name }
    const scale = Math.max(...ref.map(Math.abs))
    let diff = 0
    for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs(got[i] - ref[i]))
    const error = scale > 0 ? diff / scale : diff
    if (error > worst.error) worst = { error, name }
  }
  return worst
}

describe.skipIf(!chromiumAvailable())(`training step on WebGPU and WebGL = wasm (${CHROMIUM})`, () => {
  let page: GpuPage
  const reference = new Map<StepCase, StepNumbers>()

  beforeAll(async () => {
    await useWasmBackend()
    for (const name of cases) reference.set(name, await trainingStep(name))
    page = await openGpuPage()
  }, 120_000)

  afterAll(async () => {
    await page?.close()
  })

  it('knows the cases it is asked for', () => {
    for (const name of cases) expect(stepCases).toContain(name)
  })

  const backends: GpuBackend[] = ['webgpu', 'webgl']
  it.each(backends.flatMap((backend) => cases.map((name) => [backend, name] as const)))(
    '%s, %s: same loss and gradients as wasm',
    async (backend, name) => {
      const ref = reference.get(name)!
      const got = await page.step(backend, name)
      // The software adapter, so this checks maths, not speed.
      expect(got.adapter.toLowerCase()).toMatch(/swiftshader|webkit webgl/)
      expect(Math.abs(got.loss - ref.loss) / Math.abs(ref.loss)).toBeLessThan(LOSS_TOLERANCE)
      expect(Object.keys(got.grads).sort()).toEqual(Object.keys(ref.grads).sort())
      const worst = worstGradientError(got, ref)
      expect(worst.error, `worst gradient: ${worst.name}`).toBeLessThan(GRADIENT_TOLERANCE)
      console.log(
        `${backend} ${name}: loss ${got.loss} (wasm ${ref.loss}), worst gradient error ${worst.error.toExponential(1)} (${worst.name})`,
      )
    },
    300_000,
  )

  // The GPU training window's step of the backend chain, in real Chromium: SwiftShader is found, named, and
  // refused for speed; only a forced backend (these tests, S4MI_BACKEND) trains on it.
  it.each(backends)('%s: the chain refuses the software adapter unless forced', async (backend) => {
    const refused = await page.startGpu(backend, false)
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.reason).toMatch(
      /^only a software adapter, GPU \(Web(GPU|GL2): .*never used for speed$/,
    )
    expect(!refused.ok && refused.reason.toLowerCase()).toMatch(/swiftshader/)
    const forced = await page.startGpu(backend, true)
    expect(forced).toMatchObject({ ok: true, software: true, backend })
    console.log(`${backend}: ${!refused.ok && refused.reason}`)
  })

  it('webgpu: a Chromium that cannot read WebGPU back synchronously is skipped, with the reason', async () => {
    const softwareCompositor = await openGpuPage({ vulkanCompositor: false })
    try {
      const refused = await softwareCompositor.startGpu('webgpu', true)
      expect(refused.ok).toBe(false)
      expect(!refused.ok && refused.reason).toMatch(
        /synchronous read-back is broken here \(\[1, 2, 3\] squared read as \[0, 0, 0\]\)/,
      )
      // WebGL2 reads back through its own path and still starts there.
      expect(await softwareCompositor.startGpu('webgl', true)).toMatchObject({ ok: true, backend: 'webgl' })
    } finally {
      await softwareCompositor.close()
    }
  }, 120_000)

  it('would catch a wrong gradient: one 0.1 % off fails the tolerance', () => {
    const ref = reference.get(cases[0])!
    const [name, values] = Object.entries(ref.grads)[0]
    const wrong = { ...ref, grads: { ...ref.grads, [name]: values.map((v) => v * 1.001) } }
    expect(worstGradientError(wrong, ref).error).toBeGreaterThan(GRADIENT_TOLERANCE)
  })
})

afterAll(() => {
  tf.disposeVariables()
})
