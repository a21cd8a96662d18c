// The "install our node backend" banner stays silent, also when tfjs builds a new cpu backend instance.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it, vi } from 'vitest'
import { quietTfjsNodeBanner } from './quietTfjs'

describe('quietTfjsNodeBanner', () => {
  it('keeps the first tensor of a fresh cpu backend from printing the banner, and nothing else', async () => {
    quietTfjsNodeBanner()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      // A fresh instance, as tfjs makes when it initialises its default backend again.
      tf.removeBackend('cpu')
      const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu')
      tf.registerBackend('cpu', () => new MathBackendCPU(), 1)
      await tf.setBackend('cpu')
      tf.tensor([1, 2, 3]).dispose()
      expect(warn.mock.calls.flat().join(' ')).not.toMatch(/node backend/)
      // Other tfjs warnings still come through.
      tf.backend_util.warn('a tfjs warning')
      expect(warn).toHaveBeenCalledWith('a tfjs warning')
    } finally {
      warn.mockRestore()
    }
  })
})
