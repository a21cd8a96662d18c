import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import type { TrainProgress } from '../method'
import { buildClassifier, captureBackbone } from './classifierNet'
import { tensorsLeftBy } from './fixtures/tensorsLeftBy'
import { fineTune, fineTuneDefaults, type FineTuneInput } from './fineTune'
import { tintData } from './fixtures/tintData'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const quick = (over: Record<string, number | string | boolean> = {}) => ({
  ...fineTuneDefaults('quick'),
  epochs: 8,
  batchSize: 8,
  ...over,
})

function input(over: Partial<FineTuneInput> = {}): FineTuneInput {
  return {
    data: tintData({ kind: 'multi-class' }),
    backbone: 'resnet_tiny',
    start: { kind: 'imagenet' },
    hyper: quick(),
    seed: 3,
    ...over,
  }
}

describe('fine-tuning a classifier', () => {
  it('multi-class at 100 % labels beats chance (F1 1/3) by a wide margin; lr 0 does not', async () => {
    const progress: TrainProgress[] = []
    const lines: string[] = []
    const r = await fineTune(input({ onProgress: (p) => progress.push(p), log: (l) => lines.push(l) }))
    expect(r.metrics.testF1Macro).toBeGreaterThan(0.8)
    expect(r.metrics.testRecallMacro).toBeGreaterThan(0.8)
    expect(r.test.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(12)
    expect(r.start.kind).toBe('random')
    expect(lines[0]).toMatch(/Small ResNet.*random weights/)
    expect(progress.at(-1)!.losses.fineTune).toBeLessThan(progress[0].losses.fineTune)
    const p = r.predict(tf.zeros([2, 16, 16, 3]))
    expect(p.shape).toEqual([2, 3])
    expect(Array.from(p.sum(1).dataSync())).toEqual([1, 1].map((v) => expect.closeTo(v, 5)))
    p.dispose()
    r.dispose()

    const frozen = await fineTune(input({ hyper: quick({ lr: 0 }) }))
    expect(frozen.metrics.testF1Macro).toBeLessThan(0.6)
    frozen.dispose()
  })

  it('multi-label: images with no label and with both are learnt with a sigmoid per label', async () => {
    const data = tintData({ kind: 'multi-label', labelled: 32, test: 16 })
    const targets = data.test.targets!
    const rows = Array.from({ length: 16 }, (_, i) => targets[i * 2] + targets[i * 2 + 1])
    expect(rows).toContain(0)
    expect(rows).toContain(2)
    const r = await fineTune(input({ data, hyper: quick({ epochs: 10 }) }))
    expect(r.metrics.testF1Macro).toBeGreaterThan(0.8)
    expect(r.test.labelMatrices).toHaveLength(2)
    const p = r.predict(tf.zeros([1, 16, 16, 3]))
    // independent sigmoids, not a softmax: the two need not sum to 1
    expect(p.shape).toEqual([1, 2])
    p.dispose()
    r.dispose()
  })

  it('CASS focal loss with class weights trains too; cross-entropy is refused for multi-label data', async () => {
    const r = await fineTune(input({ hyper: quick({ loss: 'focal', classWeights: 'cass' }) }))
    expect(r.metrics.testF1Macro).toBeGreaterThan(0.7)
    r.dispose()
    await expect(
      fineTune(input({ data: tintData({ kind: 'multi-label' }), hyper: quick({ loss: 'cross-entropy' }) })),
    ).rejects.toThrow(/multi-label/)
  })

  it('starts from a pretrained backbone: its weights, a fresh head', async () => {
    const donor = buildClassifier({ backbone: 'resnet_tiny', classes: 7, imageSize: 16, seed: 42 })
    const state = captureBackbone(donor)
    donor.dispose()
    expect(Object.keys(state).some((k) => k.startsWith('fc.'))).toBe(false)
    const r = await fineTune(
      input({ start: { kind: 'pretrained', state, from: 'test' }, hyper: quick({ epochs: 1, lr: 0 }) }),
    )
    expect(r.start).toEqual({ kind: 'pretrained', from: 'test' })
    const conv = r.net.stateDict().get('conv1.weight')!.value.dataSync()
    expect(Array.from(conv.slice(0, 5))).toEqual(Array.from(state['conv1.weight'].values.slice(0, 5)))
    r.dispose()
    await expect(
      fineTune(input({ backbone: 'vit_tiny', start: { kind: 'pretrained', state, from: 'resnet file' } })),
    ).rejects.toThrow(/resnet file has no tensor/)
  })

  it('leaks no tensors over a run', async () => {
    const data = tintData({ kind: 'multi-label', labelled: 8, val: 4, test: 4 })
    const { left } = await tensorsLeftBy(() => fineTune(input({ data, hyper: quick({ epochs: 2 }) })))
    expect(left).toBe(0)
  })

  it('a run killed mid-way and resumed from its last checkpoint ends with the same metrics', async () => {
    const hyper = quick({ epochs: 4 })
    const full = await fineTune(input({ hyper }))
    full.dispose()

    let saved: { epoch: number; state: TrainState } | null = null
    const abort = new AbortController()
    await expect(
      fineTune(
        input({
          hyper,
          signal: abort.signal,
          checkpoint: {
            save: async (epoch, state) => {
              saved = { epoch, state }
              if (epoch === 2) abort.abort()
            },
            restore: async () => null,
          },
        }),
      ),
    ).rejects.toThrow(/cancelled/)
    expect(saved!.epoch).toBe(2)
    const epochsSeen = new Set<number>()
    const resumed = await fineTune(
      input({
        hyper,
        onProgress: (p) => epochsSeen.add(p.epoch),
        checkpoint: { save: async () => {}, restore: async () => saved },
      }),
    )
    expect([...epochsSeen]).toEqual([3, 4])
    expect(resumed.metrics).toEqual(full.metrics)
    resumed.dispose()
  })
})
