import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { estimateTrainingMemory, formatBytes, measureActivationBytesPerSample } from './memoryEstimate'

describe('estimateTrainingMemory', () => {
  it('adds weights, gradients, optimiser slots and activations (hand-computed)', () => {
    // 1000 params: 4000 B weights, 4000 B grads, Adam 8000 B; activations 100 B x batch 8 = 800 B, +25 % = 200 B
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
    expect(e.totalBytes).toBe(4000 + 4000 + 8000 + 800 + 200)
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
    w.dispose()
  })
})
