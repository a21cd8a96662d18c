import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createOptimizer } from '../../engine/trainingOptimizer'
import { optimizerSettings, QUICK_OPTIMIZER } from '../../engine/optimizerConfig'
import { crossTeachingStep } from './crossTeachingStep'
import { blobData } from './fixtures/blobData'
import { plainFeatureNet, plainSegmentationNet, tinySegmentationNet } from './fixtures/tinyNets'
import { picieMethod } from './picie'
import type { SegmentationNet } from './segmentationNet'
import { supervisedMethod } from './supervised'

/**
 * Micro-batches (gradient accumulation) give the whole batch's step: exactly for sums and means over pixels,
 * and for SSL4MIS's batch-level Dice whenever the images of each half are alike. Nets without BatchNorm
 * (which normalises each micro-batch with its own statistics: the one stated difference).
 */

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const sgd = optimizerSettings({ ...QUICK_OPTIMIZER, optimizer: 'sgd', momentum: 0, weightDecay: 0 })

function weightsOf(net: SegmentationNet): number[] {
  return net.parameters().flatMap((p) => Array.from(p.dataSync()))
}

function maxDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)
}

describe('cross teaching in micro-batches', () => {
  /**
   * 3 labelled copies of one image and 2 unlabelled copies of another: every part's Dice equals the half's,
   * so split and whole must agree; unequal parts check each term's share of its half.
   */
  async function step(microBatches: number, lambda: number, swapHalves = false) {
    const data = blobData({ size: 8, labelled: 1, unlabelled: 1, val: 0, test: 0, seed: 3 })
    const [labelledRead, unlabelledRead] = [await data.labelled.read([0]), await data.unlabelled.read([0])]
    const lab = tf.tensor4d(labelledRead.images, [1, 8, 8, 3])
    const unl = tf.tensor4d(unlabelledRead.images, [1, 8, 8, 3])
    const x = tf.concat(swapHalves ? [unl, unl, unl, lab, lab] : [lab, lab, lab, unl, unl]) as tf.Tensor4D
    const y = tf.tensor3d(
      Float32Array.from([0, 1, 2].flatMap(() => Array.from(labelledRead.masks!))),
      [3, 8, 8],
    )
    const nets = {
      cnn: plainSegmentationNet(2, 4)({ preset: 'quick', size: 8, classes: 2, seed: 1 }),
      swin: plainSegmentationNet(2, 3)({ preset: 'quick', size: 8, classes: 2, seed: 2 }),
    }
    const optimizer = createOptimizer(sgd)
    const losses = crossTeachingStep(optimizer, nets, x, y, lambda, microBatches, 0.5)
    const weights = [...weightsOf(nets.cnn), ...weightsOf(nets.swin)]
    tf.dispose([lab, unl, x, y])
    nets.cnn.dispose()
    nets.swin.dispose()
    optimizer.dispose()
    return { losses, weights }
  }

  it('micro-batches update both nets as the whole batch does, a part straddling both halves too', async () => {
    const whole = await step(1, 0.7)
    // 3 parts of 2, 2 and 1 images: labelled 2 | 1 labelled + 1 unlabelled | unlabelled 1.
    const split = await step(3, 0.7)
    expect(split.losses.total).toBeCloseTo(whole.losses.total, 5)
    expect(split.losses.pseudoCnn).toBeCloseTo(whole.losses.pseudoCnn, 5)
    expect(split.losses.supervisedSwin).toBeCloseTo(whole.losses.supervisedSwin, 5)
    expect(maxDiff(split.weights, whole.weights)).toBeLessThan(1e-5)
    // The update is not trivially equal: another batch, or λ, moves the weights elsewhere.
    expect(maxDiff((await step(1, 0.7, true)).weights, whole.weights)).toBeGreaterThan(1e-3)
    expect(maxDiff((await step(2, 0)).weights, whole.weights)).toBeGreaterThan(1e-4)
  })
})

describe('supervised in micro-batches', () => {
  async function trainedWeights(microBatches: number, loss: string, withBatchNorm = false) {
    const data = blobData({ size: 8, labelled: 6, val: 0, test: 2, seed: 5 })
    let net: SegmentationNet | null = null
    const factory = withBatchNorm ? tinySegmentationNet(2, 4) : plainSegmentationNet(2, 4)
    const r = await supervisedMethod({
      cnn: (spec) => (net = factory(spec)),
    }).train({
      data,
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 2, batchSize: 6, augment: false, loss, microBatches, ...sgd, lr: 0.5 },
    })
    const weights = weightsOf(net!)
    const used = r.hyper.microBatches
    r.dispose()
    return { weights, used }
  }

  it("DEDL's class-weighted CE (a sum over pixels): 3 micro-batches train exactly as the whole batch", async () => {
    const whole = await trainedWeights(1, 'class-weighted-ce')
    const split = await trainedWeights(3, 'class-weighted-ce')
    expect(split.used).toBe(3)
    // float32 sums of different order: equal to rounding (weights are ~0.1–1).
    expect(maxDiff(split.weights, whole.weights)).toBeLessThan(1e-4)
  })

  it('with BatchNorm each micro-batch uses its own statistics: the step differs', async () => {
    const whole = await trainedWeights(1, 'class-weighted-ce', true)
    const split = await trainedWeights(3, 'class-weighted-ce', true)
    expect(maxDiff(split.weights, whole.weights)).toBeGreaterThan(1e-2)
  })
})

describe('PiCIE in micro-batches', () => {
  it('its balanced CE over the whole batch: 3 micro-batches train exactly as the whole batch', async () => {
    const data = blobData({ size: 16, labelled: 0, unlabelled: 6, val: 1, test: 1, seed: 8 })
    const trained = async (microBatches: number) => {
      let net: SegmentationNet | null = null
      const r = await picieMethod({ backbone: (spec) => (net = plainFeatureNet(8)(spec)) }).train({
        data,
        preset: 'quick',
        seed: 1,
        hyper: { epochs: 1, batchSize: 6, clusterBatchSize: 6, initBatches: 1, microBatches, lr: 0.5 },
      })
      const weights = weightsOf(net!)
      const used = r.hyper.microBatches
      r.dispose()
      const fresh = plainFeatureNet(8)({ preset: 'quick', size: 16, classes: 2, seed: 1 })
      const start = weightsOf(fresh)
      fresh.dispose()
      return { weights, used, start }
    }
    const whole = await trained(1)
    const split = await trained(3)
    expect(split.used).toBe(3)
    expect(maxDiff(whole.weights, whole.start)).toBeGreaterThan(1e-3)
    expect(maxDiff(split.weights, whole.weights)).toBeLessThan(1e-5)
  })
})
