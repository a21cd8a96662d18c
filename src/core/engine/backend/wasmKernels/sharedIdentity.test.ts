import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useWasmBackend } from '../wasmBackend'

/**
 * On wasm a clone shares its source's buffer (reference counted), as on tfjs's cpu backend: the engine clones
 * every tensor a kernel keeps for its gradient, and copying them cost 7 % of a U-Net step. The values and the
 * gradients stay the engine's, and each buffer is freed with the last tensor that uses it.
 */
describe('Identity on wasm shares the buffer', () => {
  beforeAll(async () => {
    await useWasmBackend()
  })
  afterAll(async () => {
    await tf.setBackend('cpu')
  })

  it('clones without copying, and frees the buffer with the last tensor on it', () => {
    const before = tf.memory()
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])
    const y = tf.clone(x)
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers + 1)
    x.dispose()
    // The clone keeps the values after its source is gone.
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6])
    expect(y.shape).toEqual([2, 3])
    y.dispose()
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers)
    const s = tf.clone(tf.tensor1d(['a', 'b'], 'string'))
    expect(s.arraySync()).toEqual(['a', 'b'])
  })

  it("gradients through kernels that save their inputs and outputs equal the cpu backend's", async () => {
    const run = async (backend: string) => {
      await (backend === 'wasm' ? useWasmBackend() : tf.setBackend('cpu'))
      const x = tf.tensor4d(
        Float32Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => Math.sin(i)),
        [2, 6, 6, 3],
      )
      const w = tf.variable(
        tf.tensor4d(
          Float32Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i)),
          [3, 3, 3, 4],
        ),
      )
      const before = tf.memory().numTensors
      const { grads, value } = tf.variableGrads(() =>
        tf.sum(tf.square(tf.relu(tf.exp(tf.mul(tf.conv2d(x, w, 1, 'same'), 0.1))))),
      )
      const out = { g: Array.from(grads[w.name].dataSync()), v: value.dataSync()[0] }
      tf.dispose([value, ...Object.values(grads)])
      expect(tf.memory().numTensors).toBe(before)
      tf.dispose([x, w])
      return out
    }
    const wasm = await run('wasm')
    const cpu = await run('cpu')
    expect(wasm.v).toBeCloseTo(cpu.v, 3)
    wasm.g.forEach((g, i) => expect(g).toBeCloseTo(cpu.g[i], 3))
  })
})
