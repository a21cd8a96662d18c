import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Hyper } from '../method'
import { crossTeachingMethod } from './crossTeaching'
import { crossTeachingWeight } from './crossTeachingWeight'
import { blobData } from './fixtures/blobData'
import { plainFeatureNet, plainSegmentationNet } from './fixtures/tinyNets'
import { picieMethod } from './picie'
import type { NetFactory, SegmentationNet } from './segmentationNet'
import { supervisedMethod } from './supervised'

/**
 * Tests that go red when a method is quietly disabled: a learning rate forced to 0, λ forced to 0, the
 * augmentation skipped, or a schedule other than the one asked for. The nets have no BatchNorm, so an
 * image reaches the weights only through the loss.
 */

// Every lr a method hands its optimiser, in call order: what the schedule tests compare.
const usedLr: number[] = []
vi.mock('../../engine/trainingOptimizer', async (original) => {
  const real = await original<typeof import('../../engine/trainingOptimizer')>()
  return {
    ...real,
    createOptimizer: (s: Parameters<typeof real.createOptimizer>[0]) => {
      const opt = real.createOptimizer(s)
      return {
        ...opt,
        minimize: (loss: () => tf.Scalar, variables: tf.Variable[], lr: number) => {
          usedLr.push(lr)
          return opt.minimize(loss, variables, lr)
        },
      }
    },
  }
})

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A factory that remembers the nets it built and their initial weights; `moved` compares with now. */
function watched(factory: NetFactory) {
  const built: { net: SegmentationNet; initial: Float32Array[] }[] = []
  const make: NetFactory = (spec) => {
    const net = factory(spec)
    built.push({ net, initial: net.parameters().map((p) => p.dataSync().slice() as Float32Array) })
    // The inputs of every training forward pass, for the augmentation test.
    const forward = net.forward.bind(net)
    net.forward = (x) => {
      inputs.push(x.dataSync().slice() as Float32Array)
      return forward(x)
    }
    return net
  }
  const inputs: Float32Array[] = []
  const weights = (i = 0) => built[i].net.parameters().map((p) => p.dataSync().slice() as Float32Array)
  const largestChange = (i = 0) =>
    Math.max(...weights(i).flatMap((w, k) => Array.from(w, (v, j) => Math.abs(v - built[i].initial[k][j]))))
  return { make, built, inputs, weights, largestChange }
}

const maxDifference = (a: Float32Array[], b: Float32Array[]) =>
  Math.max(...a.flatMap((w, k) => Array.from(w, (v, j) => Math.abs(v - b[k][j]))))

describe('supervised', () => {
  it('moves the weights (red with lr forced to 0)', async () => {
    const cnn = watched(plainSegmentationNet())
    const r = await supervisedMethod({ cnn: cnn.make }).train({
      data: blobData({ size: 8, labelled: 4, val: 0, test: 2 }),
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 2, batchSize: 2, augment: false },
    })
    expect(cnn.largestChange()).toBeGreaterThan(1e-4)
    r.dispose()
  })

  it('trains on augmented images: the net sees pixels the set does not hold', async () => {
    const run = async (augment: boolean) => {
      const data = blobData({ size: 8, labelled: 4, val: 0, test: 2, raw: true })
      const cnn = watched(plainSegmentationNet())
      const r = await supervisedMethod({ cnn: cnn.make }).train({
        data,
        preset: 'quick',
        seed: 1,
        hyper: { epochs: 3, batchSize: 4, augment },
      })
      r.dispose()
      // Training forward passes see a batch of all 4 images in the set's order or shuffled; compare as sets.
      const stored = (await data.labelled.read([0, 1, 2, 3])).images
      const per = 8 * 8 * 3
      const storedImages = new Set(
        Array.from({ length: 4 }, (_, i) => stored.subarray(i * per, (i + 1) * per).join()),
      )
      // Batches of 4: not the memory plan's one-image probe before training.
      const training = cnn.inputs.filter((x) => x.length === 4 * per).slice(0, 3)
      return training
        .flatMap((x) => Array.from({ length: 4 }, (_, i) => x.subarray(i * per, (i + 1) * per).join()))
        .filter((img) => !storedImages.has(img)).length
    }
    expect(await run(false)).toBe(0)
    expect(await run(true)).toBeGreaterThan(0)
  })

  it('uses the cosine schedule it records, iteration by iteration', async () => {
    usedLr.length = 0
    const r = await supervisedMethod({ cnn: plainSegmentationNet() }).train({
      data: blobData({ size: 8, labelled: 4, val: 0, test: 2 }),
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 5, batchSize: 2, lr: 0.01, etaMin: 0.001, cosineTMax: 0 },
    })
    r.dispose()
    // torch CosineAnnealingLR over the run's 10 iterations: η_min + (η₀ − η_min)(1 + cos(π t / T)) / 2.
    const cosine = (t: number) => 0.001 + ((0.01 - 0.001) * (1 + Math.cos((Math.PI * t) / 10))) / 2
    expect(usedLr).toHaveLength(10)
    for (const t of [0, 3, 9]) expect(usedLr[t]).toBeCloseTo(cosine(t), 12)
  })
})

describe('cross teaching', () => {
  const unlabelledEffect = async (consistency: number) => {
    // The same labelled images and seed; only the unlabelled images differ between the two runs.
    const finalWeights = async (unlabelledSeed: number) => {
      const a = blobData({ size: 8, labelled: 4, unlabelled: 4, val: 0, test: 2, seed: 3 })
      const b = blobData({ size: 8, labelled: 4, unlabelled: 4, val: 0, test: 2, seed: unlabelledSeed })
      const cnn = watched(plainSegmentationNet())
      const r = await crossTeachingMethod({ cnn: cnn.make, swin: plainSegmentationNet(2, 4) }).train({
        data: { ...a, unlabelled: b.unlabelled },
        preset: 'quick',
        seed: 0,
        hyper: {
          maxIterations: 4,
          labelledPerBatch: 2,
          unlabelledPerBatch: 2,
          augment: false,
          consistency,
          // λ at its full value from the first iteration: the ramp is tested on its own.
          rampupLength: 1,
          rampupIterationsPerStep: 1e-9,
        } satisfies Partial<Hyper>,
      })
      const w = cnn.weights()
      r.dispose()
      return w
    }
    return maxDifference(await finalWeights(3), await finalWeights(99))
  }

  it('the unlabelled half steers the weights through λ only (red with λ forced to 0)', async () => {
    expect(await unlabelledEffect(0)).toBe(0)
    expect(await unlabelledEffect(0.5)).toBeGreaterThan(1e-6)
  })

  it('moves both nets, with SSL4MIS’s SGD and poly schedule as asked', async () => {
    usedLr.length = 0
    const cnn = watched(plainSegmentationNet())
    const swin = watched(plainSegmentationNet(2, 4))
    const r = await crossTeachingMethod({ cnn: cnn.make, swin: swin.make }).train({
      data: blobData({ size: 8, labelled: 4, unlabelled: 4, val: 0, test: 2 }),
      preset: 'quick',
      seed: 0,
      hyper: {
        maxIterations: 6,
        labelledPerBatch: 2,
        unlabelledPerBatch: 2,
        optimizer: 'sgd',
        lr: 0.05,
        schedule: 'poly',
      },
    })
    expect(cnn.largestChange()).toBeGreaterThan(1e-4)
    expect(swin.largestChange()).toBeGreaterThan(1e-4)
    r.dispose()
    // SSL4MIS: lr = base · (1 − iteration / max_iterations)^0.9.
    expect(usedLr).toHaveLength(6)
    for (const t of [0, 2, 5]) expect(usedLr[t]).toBeCloseTo(0.05 * (1 - t / 6) ** 0.9, 12)
  })

  it('ramps λ as SSL4MIS does over the iterations it ran', async () => {
    const lambdas: number[] = []
    const r = await crossTeachingMethod({
      cnn: plainSegmentationNet(),
      swin: plainSegmentationNet(2, 4),
    }).train({
      data: blobData({ size: 8, labelled: 4, unlabelled: 4, val: 0, test: 2 }),
      preset: 'quick',
      seed: 0,
      hyper: { maxIterations: 8, labelledPerBatch: 2, unlabelledPerBatch: 2 },
      onProgress: (p) => lambdas.push(p.losses.lambda),
    })
    r.dispose()
    // 0.1 · exp(−5 (1 − t/200)²), t = iteration // (8 / 200): the full ramp squeezed into 8 iterations.
    const expected = (i: number) =>
      0.1 * Math.exp(-5 * (1 - Math.min(200, Math.floor(i / (8 / 200))) / 200) ** 2)
    lambdas.forEach((l, i) => expect(l).toBeCloseTo(expected(i), 12))
    expect(lambdas[7]).toBeCloseTo(
      crossTeachingWeight(7, { consistency: 0.1, rampupLength: 200, iterationsPerStep: 0.04 }),
      12,
    )
  })
})

describe('PiCIE', () => {
  it('moves the backbone (red with lr forced to 0) and steps its lr by epoch as asked', async () => {
    usedLr.length = 0
    const backbone = watched(plainFeatureNet())
    const r = await picieMethod({ backbone: backbone.make }).train({
      data: blobData({ size: 8, labelled: 0, unlabelled: 8, val: 2, test: 2 }),
      preset: 'quick',
      seed: 0,
      hyper: {
        epochs: 3,
        batchSize: 4,
        clusterBatchSize: 4,
        initBatches: 1,
        lr: 0.1,
        stepSize: 2,
        gamma: 0.5,
      },
    })
    expect(backbone.largestChange()).toBeGreaterThan(1e-4)
    r.dispose()
    // StepLR(step_size 2, γ 0.5), stepped per epoch: 2 batches an epoch.
    expect(usedLr).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05])
  })
})
