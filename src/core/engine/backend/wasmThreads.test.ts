// The multi-threaded wasm build under Node: the pool really has the threads asked for, a training step gives
// the same numbers as the cpu backend's kernels, and the same seed on the same thread count repeats exactly.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAdam } from '../optim/adam'
import { probeNetworks } from './probeNetworks'
import { useWasmBackend } from './wasmBackend'
import { defaultThreadCount, parseThreadCount } from './threadCount'
import { wasmThreadCount } from './wasmThreads'
import { BatchNormTrain, BatchNormTrainGrad, registerBatchNormKernels } from './batchNormKernels'
import { GeluFused, GeluFusedGrad, registerGeluKernels } from './geluKernels'
import { heapThreadsOf } from './heapThreads'
import { expectSameAsCpu } from './fixtures/sameAsCpu'

async function losses(backend: string, index: number, steps: number): Promise<number[]> {
  await tf.setBackend(backend)
  const network = probeNetworks[index]
  const weights = tf.tidy(() => network.weights()).map((w) => tf.variable(w))
  const optimizer = createAdam({ learningRate: 1e-2, weightDecay: 1e-5 })
  const out: number[] = []
  for (let step = 0; step < steps; step++) {
    const { value, grads } = tf.variableGrads(() => network.loss(weights), weights)
    optimizer.step(
      weights,
      weights.map((w) => grads[w.name]),
    )
    out.push(value.dataSync()[0])
    tf.dispose([value, ...Object.values(grads)])
  }
  optimizer.dispose()
  tf.dispose(weights)
  return out
}

describe('thread counts', () => {
  it('defaults to all cores but one, at least 1, at most 8', () => {
    expect(defaultThreadCount(1)).toBe(1)
    expect(defaultThreadCount(2)).toBe(1)
    expect(defaultThreadCount(8)).toBe(7)
    expect(defaultThreadCount(64)).toBe(8)
  })

  it('rejects what is not a whole number from 1 to 8, naming the source', () => {
    expect(parseThreadCount('3', '--threads')).toBe(3)
    expect(() => parseThreadCount('0', '--threads')).toThrow(/--threads: .* got '0'/)
    expect(() => parseThreadCount('1.5', 'S4MI_THREADS')).toThrow(/S4MI_THREADS/)
    expect(() => parseThreadCount('9', '--threads')).toThrow(/1 to 8/)
    expect(() => parseThreadCount('two', '--threads')).toThrow(/'two'/)
  })
})

describe('wasm with 2 threads under Node', () => {
  beforeAll(async () => {
    // A fresh test process: this is the first start of the wasm backend, so it takes the count.
    expect(await useWasmBackend(undefined, 2)).toBe(2)
  })

  it('runs an XNNPACK pool of 2 threads on shared memory', () => {
    expect(wasmThreadCount()).toBe(2)
    const backend = tf.engine().registry.wasm as unknown as { wasm: { HEAPU8: Uint8Array } }
    expect(backend.wasm.HEAPU8.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  it.each(probeNetworks.map((n, i) => [n.name, i] as const))(
    '%s: 2-thread training matches the cpu backend and repeats bit for bit',
    async (_name, index) => {
      const first = await losses('wasm', index, 4)
      const second = await losses('wasm', index, 4)
      expect(second).toEqual(first)
      const cpu = await losses('cpu', index, 4)
      for (let i = 0; i < cpu.length; i++) expect(first[i]).toBeCloseTo(cpu[i], 4)
    },
  )

  // Our JS kernels split their work across helper threads on the shared heap (heapThreads.ts) above 64 K
  // floats: shapes big enough for that, against the cpu backend's kernels.
  it('splits large JS kernels across the threads', () => {
    expect(heapThreadsOf(tf.engine().registry.wasm, 1 << 16)?.threads).toBe(2)
    expect(heapThreadsOf(tf.engine().registry.wasm, 100)).toBeNull()
  })

  it('BatchNorm forward and backward on helper threads match the cpu kernels', async () => {
    registerBatchNormKernels('cpu')
    // 37 channels through JavaScript, 36 through the WebAssembly passes.
    for (const c of [37, 36]) {
      const x = { shape: [3, 29, 31, c] }
      await expectSameAsCpu(
        BatchNormTrain,
        { x, weight: { shape: [c] }, bias: { shape: [c] } },
        { eps: 1e-5 },
      )
      const variance = { shape: [c], values: Float32Array.from({ length: c }, (_, i) => 0.5 + i / c) }
      await expectSameAsCpu(
        BatchNormTrainGrad,
        { dy: x, x, mean: { shape: [c] }, variance, weight: { shape: [c] } },
        { eps: 1e-5 },
      )
    }
  })

  it('GELU forward and backward on helper threads match the cpu kernels', async () => {
    registerGeluKernels('cpu')
    // 1,029,969 values: split across the threads, and 1 past the last whole vector.
    const x = { shape: [1031, 999, 1] }
    await expectSameAsCpu(GeluFused, { x }, {})
    await expectSameAsCpu(GeluFusedGrad, { x, dy: x }, {})
  })

  it('MaxPoolGrad on helper threads (an image each) matches the cpu kernel', async () => {
    await tf.setBackend('cpu')
    const shape: [number, number, number, number] = [3, 57, 55, 40]
    const x = tf.randomUniform(shape, -1, 1, 'float32', 5) as tf.Tensor4D
    const output = tf.maxPool(x, 3, 2, 'same')
    const values = x.dataSync() as Float32Array
    await expectSameAsCpu(
      'MaxPoolGrad',
      {
        dy: { shape: output.shape },
        input: { shape, values },
        output: { shape: output.shape, values: output.dataSync() as Float32Array },
      },
      { filterSize: 3, strides: 2, pad: 'same' },
    )
    tf.dispose([x, output])
  })

  it.each([
    { shape: [1030, 1027], perm: [1, 0] },
    { shape: [3, 517, 683], perm: [0, 2, 1] },
  ])('matrix transposes on helper threads match the cpu kernel: shape=$shape', async (c) => {
    await expectSameAsCpu('Transpose', { x: { shape: c.shape } }, { perm: c.perm })
  })

  // Our indirect-GEMM convolution (indirectConv2D.ts) splits its groups of rows, the padding copy its rows.
  it.each([
    { x: [2, 45, 47, 37], f: [3, 3, 37, 20], strides: 1, pad: 'same' },
    { x: [2, 61, 59, 12], f: [5, 5, 12, 19], strides: 2, pad: 'same' },
    // 4.4 M padded floats: the padding copy splits too.
    { x: [1, 183, 183, 128], f: [3, 3, 128, 9], strides: 1, pad: 'same' },
  ])('convolutions on helper threads match the cpu kernel: x=$x f=$f strides=$strides', async (c) => {
    await expectSameAsCpu(
      'Conv2D',
      { x: { shape: c.x }, filter: { shape: c.f } },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 },
    )
  })

  it.each([
    { x: [2, 33, 35, 37], f: [3, 3, 37, 20], strides: 1, pad: 'same' },
    { x: [2, 33, 35, 37], f: [3, 3, 37, 20], strides: 2, pad: 'same' },
    { x: [3, 40, 41, 48], f: [1, 1, 48, 24], strides: 1, pad: 'valid' },
    // Whole panels at stride 1: the filter gradient read in place (indirectFilterGradient.ts).
    { x: [2, 45, 47, 36], f: [3, 3, 36, 24], strides: 1, pad: 'same' },
  ])(
    'convolution gradients on helper threads match the cpu kernels: x=$x f=$f strides=$strides',
    async (c) => {
      const info = tf.backend_util.computeConv2DInfo(c.x as never, c.f as never, c.strides, 1, c.pad as never)
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' }
      await expectSameAsCpu(
        'Conv2DBackpropFilter',
        { x: { shape: c.x }, dy: { shape: info.outShape } },
        { ...attrs, filterShape: c.f },
      )
      await expectSameAsCpu(
        'Conv2DBackpropInput',
        { dy: { shape: info.outShape }, filter: { shape: c.f } },
        { ...attrs, inputShape: c.x },
      )
    },
  )
})
