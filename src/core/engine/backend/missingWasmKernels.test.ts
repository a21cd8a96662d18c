import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { missingWasmKernels } from './missingWasmKernels'
import { probeNetworks } from './probeNetworks'
import { useWasmBackend } from './wasmBackend'

async function gradientsOn(backend: string, index: number): Promise<Float32Array[]> {
  await tf.setBackend(backend)
  const network = probeNetworks[index]
  const weights = network.weights()
  const before = tf.memory().numTensors
  const { value, grads } = tf.valueAndGrads((...ws: tf.Tensor[]) => network.loss(ws))(weights)
  const out = [Float32Array.of(value.dataSync()[0]), ...grads.map((g) => g.dataSync() as Float32Array)]
  tf.dispose([value, ...grads])
  // No tensor survives a training step but its results.
  expect(tf.memory().numTensors).toBe(before)
  tf.dispose(weights)
  return out
}

describe('wasm training-kernel coverage', () => {
  it('without our kernels, wasm lacks Conv2DBackpropFilter; with them, nothing the probes hit is missing', async () => {
    const before = await missingWasmKernels()
    if (!tf.getKernel('Conv2DBackpropFilter', 'wasm'))
      expect([...before.keys()]).toContain('Conv2DBackpropFilter')
    await useWasmBackend()
    const after = await missingWasmKernels()
    expect(Object.fromEntries(after)).toEqual({})
  })

  it.each(probeNetworks.map((n, i) => [n.name, i] as const))(
    '%s: loss and every gradient on wasm match the cpu backend',
    async (_name, index) => {
      await useWasmBackend()
      const cpu = await gradientsOn('cpu', index)
      const wasm = await gradientsOn('wasm', index)
      expect(wasm.length).toBe(cpu.length)
      cpu.forEach((reference, k) => {
        let scale = 0
        let diff = 0
        reference.forEach((v, i) => {
          scale = Math.max(scale, Math.abs(v))
          diff = Math.max(diff, Math.abs(v - wasm[k][i]))
        })
        expect(scale).toBeGreaterThan(0)
        expect(diff / scale).toBeLessThan(1e-4)
      })
    },
  )
})
