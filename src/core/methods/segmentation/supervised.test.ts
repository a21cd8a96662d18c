import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { blobData } from './fixtures/blobData'
import { tinySegmentationNet } from './fixtures/tinyNets'
import { trivialBaselines } from './fixtures/trivialBaselines'
import { allMasks } from './segmentationData'
import { supervisedMethod } from './supervised'
import type { TrainProgress } from '../method'
import type { TrainState } from '../../engine/trainState'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('supervised segmentation', () => {
  it('learns blobs well above the all-background and all-foreground predictions', async () => {
    const data = blobData({ size: 16, labelled: 8 })
    const progress: TrainProgress[] = []
    const saved: number[] = []
    let last: TrainState = {}
    const result = await supervisedMethod({ cnn: tinySegmentationNet() }).train({
      data,
      preset: 'quick',
      seed: 1,
      hyper: { epochs: 12, batchSize: 4 },
      onProgress: (p) => progress.push(p),
      checkpoint: {
        save: async (epoch: number, state: TrainState) => {
          saved.push(
            epoch,
            Object.keys(state).filter((k) => !k.startsWith('optimizer.') && !k.startsWith('best.')).length,
          )
          last = state
        },
        restore: async () => null,
      },
    })
    const bars = trivialBaselines(await allMasks(data.test, data.size))
    expect(result.metrics.testIou).toBeGreaterThan(Math.max(bars.allBackground, bars.allForeground) + 0.3)
    expect(result.metrics.testDice).toBeGreaterThan(result.metrics.testIou)
    expect(progress.length).toBe(12 * 2)
    expect(Object.keys(progress[0].losses).sort()).toEqual(['ce', 'dice', 'total'])
    expect(progress.at(-1)!.losses.total).toBeLessThan(progress[0].losses.total)
    expect(progress[0].losses.total).toBeCloseTo(0.5 * (progress[0].losses.dice + progress[0].losses.ce), 5)
    expect(saved.slice(0, 2)).toEqual([1, 14]) // epoch 1: 3 convs × (weight, bias) + 2 BN × (γ, β, mean, var)
    const probs = result.predict(tf.zeros([1, 16, 16, 3]))
    expect(probs.shape).toEqual([1, 16, 16, 2])
    probs.dispose()
    result.dispose()

    // Resuming from the last checkpoint restores weights and BN statistics and skips the finished epochs.
    const resumedProgress: TrainProgress[] = []
    const resumed = await supervisedMethod({ cnn: tinySegmentationNet() }).train({
      data,
      preset: 'quick',
      seed: 99,
      hyper: { epochs: 12, batchSize: 4 },
      onProgress: (p) => resumedProgress.push(p),
      checkpoint: { save: async () => {}, restore: async () => ({ epoch: 12, state: last }) },
    })
    expect(resumedProgress.length).toBe(0)
    expect(resumed.metrics.testIou).toBeCloseTo(result.metrics.testIou, 10)
    resumed.dispose()
  })

  it('resumed mid-run, continues exactly as if never interrupted (weights, Adam moments, data order)', async () => {
    const data = blobData({ size: 16, labelled: 8 })
    const hyper = { epochs: 4, batchSize: 4 }
    const states = new Map<number, TrainState>()
    const whole = await supervisedMethod({ cnn: tinySegmentationNet() }).train({
      data,
      preset: 'quick',
      seed: 5,
      hyper,
      checkpoint: {
        save: async (epoch, state) => void states.set(epoch, state),
        restore: async () => null,
      },
    })
    expect(Object.keys(states.get(2)!).some((k) => k.startsWith('optimizer.cnn.m.'))).toBe(true)
    const steps: TrainProgress[] = []
    const resumed = await supervisedMethod({ cnn: tinySegmentationNet() }).train({
      data,
      preset: 'quick',
      seed: 5,
      hyper,
      onProgress: (p) => steps.push(p),
      checkpoint: { save: async () => {}, restore: async () => ({ epoch: 2, state: states.get(2)! }) },
    })
    expect(steps[0].epoch).toBe(3)
    expect(resumed.metrics).toEqual(whole.metrics)
    whole.dispose()
    resumed.dispose()
  })
  it("trains with DEDL's class-weighted CE when asked (the paper preset's loss), weights recorded", async () => {
    expect(supervisedMethod({ cnn: tinySegmentationNet() }).defaults('paper').loss).toBe('class-weighted-ce')
    const data = blobData({ size: 16, labelled: 8 })
    const masks = await allMasks(data.labelled, data.size)
    const fg = masks.reduce((a, m) => a + m.reduce((s, v) => s + v, 0), 0) / (masks.length * 256)
    const progress: TrainProgress[] = []
    const result = await supervisedMethod({ cnn: tinySegmentationNet() }).train({
      data,
      preset: 'quick',
      seed: 1,
      hyper: { epochs: 12, batchSize: 4, loss: 'class-weighted-ce' },
      onProgress: (p) => progress.push(p),
    })
    expect(result.hyper.loss).toBe('class-weighted-ce')
    // Background weighs the foreground's share and vice versa (DEDL's [0.148, 0.852] on its data).
    expect(result.metrics.lossWeightClass0).toBeCloseTo(fg, 5)
    expect(result.metrics.lossWeightClass1).toBeCloseTo(1 - fg, 5)
    expect(Object.keys(progress[0].losses)).toEqual(['total'])
    expect(progress.at(-1)!.losses.total).toBeLessThan(progress[0].losses.total)
    const bars = trivialBaselines(await allMasks(data.test, data.size))
    expect(result.metrics.testIou).toBeGreaterThan(Math.max(bars.allBackground, bars.allForeground) + 0.3)
    result.dispose()
    await expect(
      supervisedMethod({ cnn: tinySegmentationNet() }).train({
        data,
        preset: 'quick',
        seed: 1,
        hyper: { loss: 'focal' },
      }),
    ).rejects.toThrow(/loss must be 'class-weighted-ce' or 'dice-ce'/)
  })
  it('rejects unknown hyperparameters by name', async () => {
    await expect(
      supervisedMethod({ cnn: tinySegmentationNet() }).train({
        data: blobData(),
        preset: 'quick',
        seed: 1,
        hyper: { epoch: 3 },
      }),
    ).rejects.toThrow(/no hyperparameter 'epoch'/)
  })
})
