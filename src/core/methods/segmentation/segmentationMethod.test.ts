import { describe, expect, it } from 'vitest'
import type { Hyper, TrainResult } from '../method'
import { blobData } from './fixtures/blobData'
import { segmentationMethod } from './segmentationMethod'

const defaults = (preset: string): Hyper => ({ epochs: preset === 'paper' ? 50 : 3, loss: 'dice-ce' })
const result = (hyper: Hyper): TrainResult => ({
  hyper,
  metrics: {},
  predict: () => {
    throw new Error('not trained')
  },
  dispose: () => {},
})

describe('segmentationMethod', () => {
  it('trains with the preset defaults merged with the overrides', async () => {
    const method = segmentationMethod('supervised', defaults, async (_ctx, h) => result(h))
    expect(method).toMatchObject({ task: 'segmentation', name: 'supervised' })
    const run = await method.train({ data: blobData(), preset: 'paper', seed: 0, hyper: { loss: 'ce' } })
    expect(run.hyper).toEqual({ epochs: 50, loss: 'ce' })
  })

  it("rejects a misspelt override under the method's name before training", async () => {
    let trained = false
    const method = segmentationMethod('cross-teaching', defaults, async (_ctx, h) => {
      trained = true
      return result(h)
    })
    await expect(
      method.train({ data: blobData(), preset: 'quick', seed: 0, hyper: { epoch: 2 } }),
    ).rejects.toThrow("cross-teaching has no hyperparameter 'epoch'")
    expect(trained).toBe(false)
  })

  it('requires labelled images unless the method learns without labels', async () => {
    const data = blobData({ labelled: 0 })
    const train = async (_ctx: unknown, h: Hyper) => result(h)
    await expect(
      segmentationMethod('supervised', defaults, train).train({ data, preset: 'quick', seed: 0 }),
    ).rejects.toThrow('No labelled training images')
    const unsupervised = segmentationMethod('picie', defaults, train, false)
    await expect(unsupervised.train({ data, preset: 'quick', seed: 0 })).resolves.toMatchObject({
      hyper: { epochs: 3 },
    })
  })

  it('frees the nets it kept when training fails', async () => {
    let freed = 0
    const method = segmentationMethod('supervised', defaults, async (_ctx, _h, owned) => {
      owned.keep({ dispose: () => freed++ })
      throw new Error('step failed')
    })
    await expect(method.train({ data: blobData(), preset: 'quick', seed: 0 })).rejects.toThrow('step failed')
    expect(freed).toBe(1)
  })
})
