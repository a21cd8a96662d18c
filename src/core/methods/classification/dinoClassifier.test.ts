import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { runHyper, type TrainProgress } from '../method'
import { dinoClassifier } from './dinoClassifier'
import { tensorsLeftBy } from './fixtures/tensorsLeftBy'
import { tintData } from './fixtures/tintData'
import { memoryBackbones } from './pretrainedBackbone'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// Tiny images, 2 pretraining epochs, 8 fine-tuning epochs: the wiring, not the paper's numbers.
const hyper = { imageSize: 16, 'dino.epochs': 2, 'dino.batchSize': 8, epochs: 8, batchSize: 8 }

describe('DINO classifier (pretrain, then fine-tune)', () => {
  it("a run's settings follow its backbone and recipe: the convnet recipe for a ResNet, each recipe's own", () => {
    const method = dinoClassifier()
    // The paper preset's backbone is ResNet-50.
    expect(runHyper(method, 'paper')).toMatchObject({
      backbone: 'resnet50',
      'dino.optimizer': 'sgd',
      'dino.lr': 0.03,
    })
    expect(runHyper(method, 'paper', { backbone: 'vit_b16' })).toMatchObject({
      'dino.optimizer': 'adamw',
      'dino.lr': 5e-4,
    })
    expect(runHyper(method, 'quick', { dinoPreset: 's4mi' })).toMatchObject({
      'dino.optimizer': 'adam',
      'dino.studentTemp': 0.9,
    })
    // An override still wins over the recipe.
    expect(runHyper(method, 'paper', { 'dino.optimizer': 'adamw' })['dino.optimizer']).toBe('adamw')
  })

  it('multi-class at 100 % labels beats chance by a wide margin; the pretraining is stored once and reused', async () => {
    const data = tintData({ kind: 'multi-class' })
    const backbones = memoryBackbones()
    const progress: TrainProgress[] = []
    const lines: string[] = []
    // Pretraining plus fine-tuning leaves no tensor behind.
    const { result: r, left } = await tensorsLeftBy(() =>
      dinoClassifier().train({
        data,
        preset: 'quick',
        seed: 1,
        hyper,
        backbones,
        onProgress: (p) => progress.push(p),
        log: (l) => lines.push(l),
      }),
    )
    expect(left).toBe(0)
    expect(r.metrics.testF1Macro).toBeGreaterThan(0.7)
    expect(progress.some((p) => 'dinoLoss' in p.losses)).toBe(true)
    expect(progress.some((p) => 'fineTune' in p.losses)).toBe(true)
    expect(r.metrics.pretrainKlToCenter).toBeGreaterThan(0)
    expect(lines.join('\n')).toMatch(/DINO \(official\) pretraining finished/)
    expect(lines.join('\n')).toMatch(/pretrained weights from DINO \(official\) backbone 1/)
    expect(backbones.saved).toBe(1)

    // Another run with the same training images and settings fine-tunes from the stored backbone.
    const again = await dinoClassifier().train({
      data,
      preset: 'quick',
      seed: 1,
      hyper,
      backbones,
      log: (l) => lines.push(l),
    })
    expect(backbones.saved).toBe(1)
    expect(lines.join('\n')).toMatch(/backbone 1 reused/)
    again.dispose()
  })

  it('multi-label with the s4mi recipe: images with no label and with both are learnt', async () => {
    const data = tintData({ kind: 'multi-label', labelled: 32, test: 16 })
    const r = await dinoClassifier().train({
      data,
      preset: 'quick',
      seed: 2,
      hyper: { ...hyper, dinoPreset: 's4mi', epochs: 10 },
    })
    expect(r.hyper['dino.studentTemp']).toBe(0.9)
    expect(r.metrics.testF1Macro).toBeGreaterThan(0.7)
    const p = r.predict(tf.zeros([3, 16, 16, 3]))
    expect(p.shape).toEqual([3, 2])
    p.dispose()
    r.dispose()
  })
})
