import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { bestValidation } from './bestValidation'
import { crossTeachingMethod } from './crossTeaching'
import { blobData } from './fixtures/blobData'
import { plainSegmentationNet } from './fixtures/tinyNets'
import type { SegmentationNet } from './segmentationNet'
import { supervisedMethod } from './supervised'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const net = () => plainSegmentationNet()({ preset: 'quick', size: 8, classes: 2, seed: 0 })
const first = (n: SegmentationNet) => n.parameters()[0].dataSync()[0]
const set = (n: SegmentationNet, v: number) => n.parameters()[0].assign(tf.fill(n.parameters()[0].shape, v))

describe('bestValidation', () => {
  it('keeps the best-scoring state and puts it back', () => {
    const n = net()
    const best = bestValidation({ cnn: n }, 0)
    set(n, 1)
    best.offer(1, 0.5)
    set(n, 2)
    best.offer(2, 0.7)
    set(n, 3)
    best.offer(3, 0.6)
    expect(best.best).toEqual({ at: 2, score: 0.7 })
    best.restoreBest()
    expect(first(n)).toBe(2)
    n.dispose()
  })

  it('stops once the validation loss has risen `patience` times running (DEDL: 5)', () => {
    const n = net()
    const best = bestValidation({ cnn: n }, 2)
    const losses = [1, 0.8, 0.9, 0.7, 0.75, 0.8]
    const stops = losses.map((l, i) => best.offer(i + 1, 0, l))
    // rises at 3 (reset by 4), then at 5 and 6: the second rise in a row stops.
    expect(stops).toEqual([false, false, false, false, false, true])
    expect(bestValidation({ cnn: n }, 0).offer(1, 0, 1)).toBe(false)
    n.dispose()
  })

  it('travels in the checkpoint, so a resumed run keeps its best model and its count of rises', () => {
    const n = net()
    const a = bestValidation({ cnn: n }, 2)
    set(n, 5)
    a.offer(1, 0.9, 1)
    a.offer(2, 0.1, 2)
    set(n, 6)
    const b = bestValidation({ cnn: n }, 2)
    b.importState(a.exportState())
    expect(b.best).toEqual({ at: 1, score: expect.closeTo(0.9, 6) })
    expect(b.offer(3, 0, 3)).toBe(true)
    b.restoreBest()
    expect(first(n)).toBe(5)
    n.dispose()
  })
})

describe('the methods test their best validation model', () => {
  it('supervised records the epoch it kept (DEDL)', async () => {
    const r = await supervisedMethod({ cnn: plainSegmentationNet() }).train({
      data: blobData({ size: 8, labelled: 4, val: 3, test: 2 }),
      preset: 'quick',
      seed: 0,
      hyper: { epochs: 4, batchSize: 2 },
    })
    expect(r.metrics.bestEpoch).toBeGreaterThanOrEqual(1)
    expect(r.metrics.bestEpoch).toBeLessThanOrEqual(4)
    r.dispose()
  })

  it('cross teaching validates every validateEvery iterations and records the iteration (SSL4MIS)', async () => {
    const r = await crossTeachingMethod({
      cnn: plainSegmentationNet(),
      swin: plainSegmentationNet(2, 4),
    }).train({
      data: blobData({ size: 8, labelled: 4, unlabelled: 4, val: 3, test: 2 }),
      preset: 'quick',
      seed: 0,
      hyper: { maxIterations: 6, labelledPerBatch: 2, unlabelledPerBatch: 2, validateEvery: 2 },
    })
    expect([2, 4, 6]).toContain(r.metrics.bestIteration)
    r.dispose()
  })
})
