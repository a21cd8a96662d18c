import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../engine/seededRandom'
import type { TrainState } from '../../engine/trainState'
import type { TrainProgress } from '../method'
import { cassDefaults, pretrainCass, type CassPretrained } from './cass'
import { cassAugment, homography } from './cassAugment'
import { shapeImages } from './fixtures/shapeImages'
import { tensorsLeftBy } from './fixtures/tensorsLeftBy'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const images = shapeImages(16, 16, 1)
const quick = { epochs: 3, batchSize: 8, outDim: 32 }

describe('CASS pretraining', () => {
  it('pulls the CNN and the ViT together, each with its own optimiser, without leaking tensors', async () => {
    const progress: TrainProgress[] = []
    const { result, left } = await tensorsLeftBy(() =>
      pretrainCass({
        images,
        cnn: 'resnet_tiny',
        vit: 'vit_tiny',
        preset: 'quick',
        seed: 1,
        hyper: { ...quick, epochs: 4 },
        onProgress: (p) => progress.push(p),
      }),
    )
    expect(left).toBe(0)
    const losses = progress.map((p) => p.losses.cassLoss)
    // 2 − 2·cos lies in [0, 4]; random heads start near 2 (orthogonal outputs) and the pair learns to agree.
    for (const l of losses) expect(l).toBeGreaterThanOrEqual(0)
    expect(losses[0]).toBeGreaterThan(1)
    expect(result.cnn.history.cassLoss[3]).toBeLessThan(result.cnn.history.cassLoss[0] - 0.3)
    // The schedule moves once per epoch (the notebook's per-batch stepping is its bug).
    expect(progress[0].lr).toBe(progress[1].lr)
    expect(progress[2].lr).toBeLessThan(progress[1].lr)
    expect(progress[0].lr).toBe(cassDefaults('quick').lr)
    // Backbones only: fine-tuning puts new heads on.
    expect(Object.keys(result.cnn.state).some((k) => k.startsWith('fc.'))).toBe(false)
    expect(Object.keys(result.vit.state).some((k) => k.startsWith('heads.'))).toBe(false)
    expect(result.vit.state['conv_proj.weight']).toBeDefined()
  })

  it('trains both networks: with lr 0 neither moves and the loss stays put', async () => {
    const frozen = await pretrainCass({
      images,
      cnn: 'resnet_tiny',
      vit: 'vit_tiny',
      preset: 'quick',
      seed: 1,
      hyper: { ...quick, lr: 0, minLr: 0 },
    })
    const trained = await pretrainCass({
      images,
      cnn: 'resnet_tiny',
      vit: 'vit_tiny',
      preset: 'quick',
      seed: 1,
      hyper: quick,
    })
    const moved = (a: TrainState, b: TrainState, key: string) =>
      Math.max(...a[key].values.map((v, i) => Math.abs(v - b[key].values[i])))
    expect(moved(frozen.cnn.state, trained.cnn.state, 'conv1.weight')).toBeGreaterThan(1e-4)
    expect(moved(frozen.vit.state, trained.vit.state, 'conv_proj.weight')).toBeGreaterThan(1e-4)
    expect(Math.abs(frozen.cnn.history.cassLoss[2] - frozen.cnn.history.cassLoss[0])).toBeLessThan(0.3)
  })

  it('resumes after a kill and ends exactly where an uninterrupted run ends', async () => {
    const run = async (saves: Map<number, TrainState>, stopAfter: number | null, resume: boolean) => {
      const controller = new AbortController()
      return pretrainCass({
        images,
        cnn: 'resnet_tiny',
        vit: 'vit_tiny',
        preset: 'quick',
        seed: 5,
        hyper: quick,
        signal: controller.signal,
        checkpoint: {
          save: async (epoch, state) => {
            saves.set(epoch, state)
            if (epoch === stopAfter) controller.abort()
          },
          restore: async () => (resume ? { epoch: 1, state: saves.get(1)! } : null),
        },
      })
    }
    const whole: CassPretrained = await run(new Map(), null, false)
    const saves = new Map<number, TrainState>()
    await expect(run(saves, 1, false)).rejects.toThrow(/cancelled/)
    const resumed = await run(saves, null, true)
    for (const role of ['cnn', 'vit'] as const) {
      for (const [k, v] of Object.entries(whole[role].state)) {
        expect(Array.from(resumed[role].state[k].values)).toEqual(Array.from(v.values))
      }
    }
  })
})

describe('cassAugment', () => {
  it('finds the projective map through four point pairs', () => {
    const from = [
      [0, 0],
      [10, 1],
      [9, 9],
      [1, 10],
    ]
    const to = [
      [0, 0],
      [11, 0],
      [11, 11],
      [0, 11],
    ]
    const m = homography(from, to)
    for (const [i, [x, y]] of from.entries()) {
      const k = m[6] * x + m[7] * y + 1
      expect((m[0] * x + m[1] * y + m[2]) / k).toBeCloseTo(to[i][0], 6)
      expect((m[3] * x + m[4] * y + m[5]) / k).toBeCloseTo(to[i][1], 6)
    }
  })

  it('keeps the batch shape, normalises, and varies per image', () => {
    const x = tf.randomUniform([6, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D
    const out = cassAugment(x, createSeededRandom(2))
    expect(out.shape).toEqual([6, 16, 16, 3])
    const same = cassAugment(x, createSeededRandom(2))
    expect(Array.from(out.dataSync())).toEqual(Array.from(same.dataSync()))
    // At p 0.3 per step over 6 images, some come out changed and all normalised around 0.
    const normalised = tf.div(
      tf.sub(x, tf.tensor1d([0.485, 0.456, 0.406])),
      tf.tensor1d([0.229, 0.224, 0.225]),
    )
    const changed = tf.unstack(tf.sub(out, normalised)).map((d) => tf.max(tf.abs(d)).arraySync() as number)
    expect(changed.some((d) => d > 0.1)).toBe(true)
  })
})
