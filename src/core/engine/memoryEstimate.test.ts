import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import {
  backendMemoryLimit,
  estimateTrainingMemory,
  formatBytes,
  measureActivationBytesPerSample,
  measureBackwardBytesPerSample,
  microBatchesNeeded,
  planTrainingMemory,
  wasmHeapLimitBytes,
} from './memoryEstimate'
import { gpuMemoryFromEnvironment } from './machine'

describe('estimateTrainingMemory', () => {
  it('adds weights, gradients, optimiser slots and activations (hand-computed)', () => {
    // 1000 params: 4000 B weights, 4000 B grads, Adam 8000 B; activations 100 B x batch 8 = 800 B, + as much working
    const e = estimateTrainingMemory({
      parameterCount: 1000,
      activationBytesPerSample: 100,
      batchSize: 8,
      optimizer: 'adam',
    })
    expect(e).toMatchObject({
      parameterBytes: 4000,
      gradientBytes: 4000,
      optimizerStateBytes: 8000,
      activationBytes: 800,
    })
    expect(e.totalBytes).toBe(4000 + 4000 + 8000 + 800 + 800)
    expect(
      estimateTrainingMemory({
        parameterCount: 1000,
        activationBytesPerSample: 0,
        batchSize: 1,
        optimizer: 'sgd',
      }).totalBytes,
    ).toBe(8000)
    const two = estimateTrainingMemory({
      parameterCount: 1000,
      activationBytesPerSample: 100,
      batchSize: 8,
      optimizer: 'sgdMomentum',
      networks: 2,
    })
    expect(two.optimizerStateBytes).toBe(8000)
    expect(two.summary).toMatch(/2 nets/)
  })

  it('states ResNet-50 + Adam weights in its summary line', () => {
    const e = estimateTrainingMemory({
      parameterCount: 25_557_032,
      activationBytesPerSample: 0,
      batchSize: 16,
      optimizer: 'adam',
    })
    expect(e.summary).toBe(
      'expected memory ~390 MB (weights 97.5 MB, gradients 97.5 MB, adam state 195 MB, activations 0 B at batch 16)',
    )
  })

  it('rejects nonsense by field name', () => {
    expect(() =>
      estimateTrainingMemory({
        parameterCount: -1,
        activationBytesPerSample: 0,
        batchSize: 1,
        optimizer: 'adam',
      }),
    ).toThrow(/parameterCount/)
  })

  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB')
  })
})

describe('measureActivationBytesPerSample', () => {
  it('counts every forward output, and scales a conv net by pixels', async () => {
    await tf.setBackend('cpu')
    const w = tf.ones([3, 3, 3, 4]) as tf.Tensor4D
    const forward = (x: tf.Tensor4D) => tf.relu(tf.conv2d(x, w, 1, 'same'))
    // 8x8 input: conv output 8*8*4 floats and relu output 8*8*4 floats = 512 floats = 2048 bytes
    expect(await measureActivationBytesPerSample(forward, [8, 8, 3])).toBe(2048)
    // Measured on 4x4 and scaled by 4: the same number.
    expect(await measureActivationBytesPerSample(forward, [8, 8, 3], 0.5)).toBe(2048)
    // A reshape is a view of its input's memory: it adds nothing (the Swin-UNet has hundreds).
    const reshaped = (x: tf.Tensor4D) => tf.reshape(tf.reshape(forward(x), [1, -1]), [1, 8, 8, 4])
    expect(await measureActivationBytesPerSample(reshaped, [8, 8, 3])).toBe(2048)
    w.dispose()
  })
})

describe('fitting a step into the backend', () => {
  it('caps wasm at its 4 GiB heap, other backends at the machine RAM', () => {
    expect(backendMemoryLimit('wasm', { totalMemoryBytes: 64 * 1024 ** 3 })).toBe(wasmHeapLimitBytes)
    expect(backendMemoryLimit('wasm', { totalMemoryBytes: 2 * 1024 ** 3 })).toBe(2 * 1024 ** 3)
    expect(backendMemoryLimit('tensorflow', { totalMemoryBytes: 16 * 1024 ** 3 })).toBe(16 * 1024 ** 3)
    // A trainer whose host did not say (a browser page asks no OS): the wasm heap's size.
    expect(backendMemoryLimit('tensorflow')).toBe(wasmHeapLimitBytes)
  })

  it("plans the GPU backends for 4 GiB of the GPU's memory, or what S4MI_GPU_MEMORY_GB says", () => {
    const machine = (env: Record<string, string>) => ({
      totalMemoryBytes: 64 * 1024 ** 3,
      gpuMemoryBytes: gpuMemoryFromEnvironment(env),
    })
    for (const gpu of ['webgpu', 'webgl']) {
      expect(backendMemoryLimit(gpu, machine({}))).toBe(4 * 1024 ** 3)
      expect(backendMemoryLimit(gpu)).toBe(4 * 1024 ** 3)
      expect(backendMemoryLimit(gpu, machine({ S4MI_GPU_MEMORY_GB: '11.5' }))).toBe(11.5 * 1024 ** 3)
    }
    expect(() => gpuMemoryFromEnvironment({ S4MI_GPU_MEMORY_GB: 'lots' })).toThrow(
      /S4MI_GPU_MEMORY_GB must be .* got 'lots'/,
    )
    expect(() => gpuMemoryFromEnvironment({ S4MI_GPU_MEMORY_GB: '0' })).toThrow(/S4MI_GPU_MEMORY_GB/)
  })

  it('splits the batch into micro-batches when activations do not fit (hand-computed)', () => {
    // fixed 16 MB (1M params x 4 slots x 4 B); 100 MB/sample = 50 MB activations + 50 MB working
    const e = estimateTrainingMemory({
      parameterCount: 1e6,
      activationBytesPerSample: 50e6,
      batchSize: 16,
      optimizer: 'adam',
    })
    expect(microBatchesNeeded(e, 16, 10e9)).toBe(1)
    // budget 0.8 x 1 GB = 800 MB; (800 - 16) / 100 = 7 samples per micro-batch -> 3 micro-batches for 16
    expect(microBatchesNeeded(e, 16, 1e9)).toBe(3)
    expect(() => microBatchesNeeded(e, 16, 100e6)).toThrow(/even at batch 1/)
  })

  it("counts the summed gradients of a split step once, in the gradients' place (hand-computed)", () => {
    // 100M params: weights, gradients, Adam's m and v = 1.6 GB; 100 MB/sample with working. Budget 0.8 × 2 GB =
    // 1.6 GB: not even one sample fits beside them.
    const e = estimateTrainingMemory({
      parameterCount: 100e6,
      activationBytesPerSample: 50e6,
      batchSize: 16,
      optimizer: 'adam',
    })
    expect(() => microBatchesNeeded(e, 16, 2e9)).toThrow(/even at batch 1/)
    // 0.8 × 2.5 GB = 2 GB: (2 - 1.6) / 0.1 = 4 samples per micro-batch -> 4 micro-batches (a second set of
    // gradients beside the sum would have left none).
    expect(microBatchesNeeded(e, 16, 2.5e9)).toBe(4)
    // 0.8 × 3 GB = 2.4 GB: 8 samples -> 2.
    expect(microBatchesNeeded(e, 16, 3e9)).toBe(2)
  })
})

describe('planTrainingMemory', () => {
  it('states the measured estimate for the active backend', async () => {
    await tf.setBackend('cpu')
    const w = tf.ones([3, 3, 3, 4]) as tf.Tensor4D
    const plan = await planTrainingMemory({
      forward: (x) => tf.relu(tf.conv2d(x, w, 1, 'same')),
      parameterCount: 108,
      sampleShape: [8, 8, 3],
      batchSize: 4,
      optimizer: 'adam',
    })
    // 2048 B of activations per sample (see above) x 4 = 8192; working memory measured on the freeing backward
    // pass (7360 B per sample, the activations included: (7360 - 2048) x 4 = 21248; tfjs's own pass, which
    // frees nothing before it ends, held 9408); weights 432 x 4 slots
    expect(plan.estimate.activationBytes).toBe(8192)
    expect(plan.estimate.workingBytes).toBe(21248)
    expect(plan.estimate.totalBytes).toBe(8192 + 21248 + 1728)
    expect(plan.microBatches).toBe(1)
    expect(plan.summary).toMatch(/^expected memory ~30\.4 KB/)
    w.dispose()
  })

  it("counts the backward pass's working memory as measured, beyond the activations again", async () => {
    // Attention (softmax(t tᵀ) t): the backward holds more than twice the forward, even freeing each activation
    // gradient once used (its score gradients are as large as the scores). A plan that assumed working = activations would miss it.
    await tf.setBackend('cpu')
    const attention = (x: tf.Tensor4D) => {
      const t = tf.reshape(x, [64, 3])
      return tf.matMul(tf.softmax(tf.matMul(t, t, false, true)), t)
    }
    const forward = await measureActivationBytesPerSample(attention, [8, 8, 3])
    const backward = (await measureBackwardBytesPerSample(attention, [8, 8, 3])) ?? 0
    expect(backward).toBeGreaterThan(2 * forward)
    const plan = await planTrainingMemory({
      forward: attention,
      parameterCount: 0,
      sampleShape: [8, 8, 3],
      batchSize: 2,
      optimizer: 'sgd',
    })
    expect(plan.estimate.totalBytes).toBe(2 * backward)
    expect(plan.estimate.workingBytes).toBeGreaterThan(plan.estimate.activationBytes)
  })

  it('falls back to working = activations when the forward has a kernel with no gradient', async () => {
    await tf.setBackend('cpu')
    // Equal has no gradient in tfjs (PiCIE's cluster assignment runs one); the profile must end cleanly.
    const assign = (x: tf.Tensor4D) => tf.mul(x, tf.cast(tf.equal(x, tf.max(x)), 'float32'))
    const tensors = tf.memory().numTensors
    expect(await measureBackwardBytesPerSample(assign, [4, 4, 3])).toBeNull()
    expect(tf.memory().numTensors).toBe(tensors)
    const plan = await planTrainingMemory({
      forward: assign,
      parameterCount: 0,
      sampleShape: [4, 4, 3],
      batchSize: 2,
      optimizer: 'sgd',
    })
    expect(plan.estimate.workingBytes).toBe(plan.estimate.activationBytes)
    // tfjs would otherwise go on recording every kernel of the run.
    expect((tf.engine().state as unknown as { profiling: boolean }).profiling).toBe(false)
  })
})
