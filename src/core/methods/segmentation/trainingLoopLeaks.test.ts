import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import type { Hyper, Method } from '../method'
import { crossTeachingMethod } from './crossTeaching'
import { blobData } from './fixtures/blobData'
import { tinyFeatureNet, tinySegmentationNet } from './fixtures/tinyNets'
import { picieMethod } from './picie'
import type { SegmentationData } from './segmentationData'
import { supervisedMethod } from './supervised'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/**
 * Every segmentation training loop leaves tfjs as it found it: the same number of tensors before a short
 * run (train, checkpoint, predict, dispose) as after, and again after resuming from the checkpoint.
 * A loop that forgets to dispose a batch, a gradient or an optimiser moment grows by it every step.
 */
async function tensorsLeftBy(method: Method<SegmentationData>, data: SegmentationData, hyper: Hyper) {
  let last: { epoch: number; state: TrainState } | null = null
  const before = tf.memory().numTensors
  const result = await method.train({
    data,
    preset: 'quick',
    seed: 1,
    hyper,
    checkpoint: { save: async (epoch, state) => void (last = { epoch, state }), restore: async () => null },
  })
  const images = tf.zeros([2, data.size, data.size, 3]) as tf.Tensor4D
  tf.dispose(result.predict(images))
  images.dispose()
  result.dispose()
  const afterRun = tf.memory().numTensors - before
  expect(last).not.toBeNull()
  // Resume from the first epoch's checkpoint and train the rest.
  const resumed = await method.train({
    data,
    preset: 'quick',
    seed: 1,
    hyper,
    checkpoint: { save: async () => {}, restore: async () => last },
  })
  resumed.dispose()
  return { afterRun, afterResume: tf.memory().numTensors - before }
}

describe('training loops leak no tensors', () => {
  it.each(['dice-ce', 'class-weighted-ce'])('supervised, loss %s', async (loss) => {
    const data = blobData({ size: 16, labelled: 6, val: 2, test: 2 })
    const left = await tensorsLeftBy(supervisedMethod({ cnn: tinySegmentationNet() }), data, {
      epochs: 2,
      batchSize: 4,
      loss,
    })
    expect(left).toEqual({ afterRun: 0, afterResume: 0 })
  })
  it('cross teaching', async () => {
    const data = blobData({ size: 16, labelled: 4, unlabelled: 4, val: 2, test: 2 })
    const nets = { cnn: tinySegmentationNet(2, 8), swin: tinySegmentationNet(2, 4) }
    const left = await tensorsLeftBy(crossTeachingMethod(nets), data, { maxIterations: 4, reportSwin: true })
    expect(left).toEqual({ afterRun: 0, afterResume: 0 })
  })
  it('PiCIE', async () => {
    const data = blobData({ size: 16, labelled: 0, unlabelled: 6, val: 2, test: 2, seed: 8 })
    const left = await tensorsLeftBy(picieMethod({ backbone: tinyFeatureNet(8) }), data, {
      epochs: 2,
      batchSize: 6,
      initBatches: 1,
      updateBatches: 1,
    })
    expect(left).toEqual({ afterRun: 0, afterResume: 0 })
  })
})
