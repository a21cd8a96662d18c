import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import { encodeSafetensors, parseSafetensors } from '../../models/nn/safetensors'
import type { ImagenetWeightsLookup } from '../method'
import { cassClassifier } from './cassClassifier'
import { BACKBONES } from './classifierNet'
import { memoryBackbones } from './pretrainedBackbone'
import { tintData } from './fixtures/tintData'
import { tensorsLeftBy } from './fixtures/tensorsLeftBy'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const hyper = {
  imageSize: 16,
  'cass.epochs': 2,
  'cass.batchSize': 8,
  'cass.outDim': 32,
  epochs: 8,
  batchSize: 8,
}

describe('CASS classifier (pretrain both, then fine-tune each)', () => {
  it('pairs a CNN with a Transformer: two of one kind are refused before any training', async () => {
    const data = tintData({ kind: 'multi-label', labelled: 8, test: 4 })
    await expect(
      cassClassifier().train({
        data,
        preset: 'quick',
        seed: 1,
        hyper: { ...hyper, cnnBackbone: 'vit_tiny' },
      }),
    ).rejects.toThrow(/CASS pairs a CNN with a Transformer; cnnBackbone 'vit_tiny' is a transformer/)
  })

  it('reports both networks, fine-tuned with focal loss and CASS class weights, and leaks nothing', async () => {
    const data = tintData({ kind: 'multi-label', labelled: 32, test: 16 })
    const lines: string[] = []
    const { result: r, left } = await tensorsLeftBy(() =>
      cassClassifier().train({ data, preset: 'quick', seed: 1, hyper, log: (l) => lines.push(l) }),
    )
    expect(left).toBe(0)
    expect(r.hyper.loss).toBe('focal')
    expect(r.hyper.classWeights).toBe('cass')
    expect(r.metrics.testF1Macro).toBeGreaterThan(0.6)
    expect(r.metrics.vitTestF1Macro).toBeGreaterThan(0)
    // The small presets have no ImageNet weights: the log says CASS starts from random ones.
    expect(lines.join('\n')).toMatch(/Small ResNet.*no ImageNet weights imported, CASS starts from random/)
    expect(lines.join('\n')).toMatch(/CASS Transformer/)
    expect(lines.join('\n')).toMatch(/CASS CNN/)
  })

  it('a run killed during the CNN fine-tuning resumes there and ends with the same scores', async () => {
    const data = tintData({ kind: 'multi-class' })
    const short = { ...hyper, epochs: 3 }
    const run = async (
      saves: { epoch: number; state: TrainState }[],
      kill: ((s: TrainState) => boolean) | null,
    ) => {
      const controller = new AbortController()
      return cassClassifier().train({
        data,
        preset: 'quick',
        seed: 3,
        hyper: short,
        signal: controller.signal,
        checkpoint: {
          save: async (epoch, state) => {
            saves.push({ epoch, state })
            if (kill?.(state)) controller.abort()
          },
          restore: async () => saves.at(-1) ?? null,
        },
      })
    }
    const whole = await run([], null)
    const saves: { epoch: number; state: TrainState }[] = []
    // Kill after the CNN's first fine-tuning epoch (phase 1).
    await expect(run(saves, (s) => s['phase.index'].values[0] === 1)).rejects.toThrow(/cancelled/)
    const resumed = await run(saves, null)
    expect(resumed.metrics.testF1Macro).toBeCloseTo(whole.metrics.testF1Macro, 6)
    expect(resumed.metrics.vitTestF1Macro).toBeCloseTo(whole.metrics.vitTestF1Macro, 6)
    whole.dispose()
    resumed.dispose()
  })

  it('reads the ImageNet files only when it pretrains: a run reusing the stored pretraining reads none', async () => {
    // The small presets have no ImageNet files: here they stand in for ResNet-50 and ViT-B/16, whose files
    // are found, named in the log and the pretraining's key, and (empty) read only when CASS pretrains.
    const before = { cnn: BACKBONES.resnet_tiny.imagenet, vit: BACKBONES.vit_tiny.imagenet }
    BACKBONES.resnet_tiny.imagenet = 'resnet50'
    BACKBONES.vit_tiny.imagenet = 'vit_b_16'
    try {
      const reads: string[] = []
      const imagenetWeights: ImagenetWeightsLookup = async (architecture) => {
        const file = `/weights/${architecture}.safetensors`
        const load = async () => {
          reads.push(architecture)
          return { file, weights: parseSafetensors(encodeSafetensors(new Map()), file) }
        }
        return { file, load }
      }
      const backbones = memoryBackbones()
      const lines: string[] = []
      const run = () =>
        cassClassifier().train({
          data: tintData({ kind: 'multi-class' }),
          preset: 'quick',
          seed: 2,
          hyper: { ...hyper, epochs: 1 },
          backbones,
          imagenetWeights,
          log: (l) => lines.push(l),
        })
      ;(await run()).dispose()
      expect(reads.sort()).toEqual(['resnet50', 'vit_b_16'])
      expect(lines.join('\n')).toMatch(/CASS starts from ImageNet weights \/weights\/resnet50\.safetensors/)
      ;(await run()).dispose()
      expect(lines.join('\n')).toMatch(/CASS backbones \d+ reused, no pretraining/)
      expect(reads).toHaveLength(2)
    } finally {
      BACKBONES.resnet_tiny.imagenet = before.cnn
      BACKBONES.vit_tiny.imagenet = before.vit
    }
  })
})
