import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainState } from '../../engine/trainState'
import { pretrainCass } from './cass'
import { pretrainDino } from './dino'
import { embedImages, knnAccuracy } from './fixtures/knnProbe'
import { shapeImages } from './fixtures/shapeImages'
import { vitRecipeOnResnet } from './fixtures/vitRecipe'

/**
 * After a short pretraining, a k-NN probe on the frozen embedding beats the same probe on the backbone's
 * random start (the pretraining's own initial weights), for DINO and for CASS. 48 images of 16 px whose
 * class is a shape in random colours; 36 steps each. About 15 s, but with dinoReference.test.ts (about a
 * minute, needs python3-torch) it runs with S4MI_SSL_PROBE=1 (npm run test:ssl-probe), not in npm test.
 * DINO runs its official recipe in the ViT form (AdamW; vitRecipeOnResnet), as measured below; the
 * convnet recipe a ResNet now gets by default gives the same picture (4 Dec: 0.458 / 0.333 against
 * random 0.292 / 0.479).
 *
 * Each case prints both probes: BatchNorm with the probe images' own statistics (what is asserted, see
 * embedImages) and with the running statistics (eval_knn.py's way). Measured 13:40 on 2 Dec (k = 5,
 * leave-one-out, 48 images), batch statistics / running statistics:
 *   random ResNet 0.29 / 0.48, random ViT 0.42;
 *   DINO student 0.46 / 0.40, DINO teacher 0.31 / 0.33;
 *   CASS CNN 0.42 / 0.31, CASS ViT 0.42 (its random start's value).
 * So the assertion holds only against the batch-statistics baseline: with running statistics neither
 * pretraining beats a random ResNet at this size (16 px, 36 steps), and CASS's ViT (from random weights,
 * where 2 − 2·cos has a collapsed solution the paper's ImageNet start avoids) does not move the probe.
 *
 * Re-measured 3 Dec: the same figures at 12 epochs. At 48 epochs (4× the pretraining) the probe gets
 * worse, not better: DINO student 0.354 / 0.333, CASS CNN 0.313 / 0.271, CASS ViT 0.438 (random 0.417),
 * and both assertions fail (random ResNet 0.292 / 0.479). So the criterion is not met in
 * eval_knn.py's own mode, and what is asserted here (both networks normalised by the probe images'
 * statistics, the same mode for both) holds at this one short length only: treat it as a smoke test of
 * the wiring, not as evidence that the pretraining learns the shapes.
 *
 * Whether that is our code or the recipe: dinoReference.test.ts runs the same quick DINO recipe in
 * PyTorch on 96 of these images at 32 px for 60 epochs. Both collapse towards a uniform teacher within
 * ~100 steps, at the same entropy and KL to the centre, and neither probe beats its random start by 0.1.
 * Also measured 4 Dec, 60 epochs at 32 px: ours collapses the same way with no local crops, with twice
 * the images at batch 32, with 1024 prototypes, at rates from 1e-4 to 1e-2, and on images whose colours
 * stay within the colour jitter's range. In PyTorch, BatchNorm in the head (main_dino.py
 * --use_bn_in_head, which we do not offer; measured with torch's default convolution init) slows the
 * collapse (entropy 4.9 of 5.5) and gives 0.56 against 0.45 with batch statistics but 0.55 against 0.50
 * with running ones; with 192 images at batch 32 for 100 epochs it gives 0.53 against 0.50.
 * Also in PyTorch, 4 Dec, 2,048 images of 32 px at batch 64, a held-out half probed by the other half
 * (k = 5), the teacher with running statistics after 5, 10 and 15 epochs, random start 0.589: the ViT
 * recipe 0.579 / 0.569 / –; DINO's convnet recipe (SGD 0.0075 and 0.03) 0.593 / – and 0.566 / –; BatchNorm
 * in the head, AdamW 0.566 / 0.547 / 0.535, SGD 0.514 / 0.538 / 0.534. On full-image textures (4 classes,
 * random colours, random start 0.39) the ViT recipe 0.40 / 0.36 / 0.38 and with BatchNorm in the head
 * 0.40 / 0.34 / 0.34. Every run's teacher went towards uniform (entropy 4.8–5.5 of 5.55). So more images
 * and steps do not change the picture; the recipe does not learn these synthetic classes here.
 */
/*
 * 5 Dec: CASS's figures above were measured on the cpu backend while its tf.image.transform blacked out every
 * image of a batch but the first (engine/backend/cpuTransform.ts), so CASS trained mostly on black images.
 * With the augmentation right, CASS CNN 0.313 / 0.292 (random 0.292 / 0.479), CASS ViT 0.354 (random 0.417):
 * the CASS case below now FAILS, in both modes. DINO's figures are unchanged (0.458 / 0.396; the cpu
 * backend's CropAndResize was right). The k-NN criterion is not met for CASS either.
 * Also 5 Dec, CASS CNN against its random start (batch / running statistics), ViT against its: seeds 2 and 3
 * at 12 epochs 0.417 / 0.458 (random 0.438 / 0.458) and 0.417 / 0.354 (0.438 / 0.479), ViT 0.354 and 0.417
 * (0.458, 0.417); 48 epochs at 1e-3 0.250 / 0.250 (0.292 / 0.479), ViT 0.313 (0.417); 96 images of 32 px for 24
 * epochs 0.417 / 0.417 (0.417 / 0.490), ViT 0.427 (0.448). Both networks see the same view, so the loss asks
 * for no invariance to the augmentation, which is what such a probe rewards: from random weights the two only
 * learn to agree (at 1e-3, on nearly constant outputs). The paper starts both from ImageNet weights.
 * Late 5 Dec, after norms moved to models/nn/euclideanNorm.ts: every figure the same to three places (DINO
 * 0.458 / 0.396, CASS CNN 0.313 / 0.292, CASS ViT 0.354).
 */
const enabled = process.env.S4MI_SSL_PROBE === '1'
const images = shapeImages(48, 16, 1)

describe.runIf(enabled)('k-NN probe after a short pretraining', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  const random = () => knnAccuracy(embedImages('resnet_tiny', images, null, 1), images.labels)
  const report = (name: string, backbone: 'resnet_tiny' | 'vit_tiny', state: TrainState) => {
    const probe = (s: TrainState | null, bn: 'batch' | 'running') =>
      knnAccuracy(embedImages(backbone, images, s, 1, bn), images.labels).toFixed(3)
    console.log(
      `k-NN probe, ${name}: batch statistics ${probe(state, 'batch')} (random ${probe(null, 'batch')}); ` +
        `running statistics ${probe(state, 'running')} (random ${probe(null, 'running')})`,
    )
  }

  it('DINO: the student backbone beats its random start', async () => {
    // The quick preset's rate and momentum (1e-3 unscaled, 0.99: see dinoDefaults).
    const r = await pretrainDino({
      images,
      backbone: 'resnet_tiny',
      preset: 'quick',
      seed: 1,
      hyper: {
        ...vitRecipeOnResnet(),
        epochs: 12,
        batchSize: 16,
        lr: 1e-3,
        scaleLrByBatch: false,
        momentumTeacher: 0.99,
        keep: 'student',
      },
    })
    report('DINO student', 'resnet_tiny', r.state)
    const before = random()
    const after = knnAccuracy(embedImages('resnet_tiny', images, r.state, 1), images.labels)
    expect(after).toBeGreaterThan(before + 0.1)
  }, 600_000)

  it('CASS: the CNN beats its random start', async () => {
    const r = await pretrainCass({
      images,
      cnn: 'resnet_tiny',
      vit: 'vit_tiny',
      preset: 'quick',
      seed: 1,
      hyper: { epochs: 12, batchSize: 16, lr: 3e-4, minLr: 1e-6 },
    })
    report('CASS CNN', 'resnet_tiny', r.cnn.state)
    report('CASS ViT', 'vit_tiny', r.vit.state)
    const before = random()
    const after = knnAccuracy(embedImages('resnet_tiny', images, r.cnn.state, 1), images.labels)
    expect(after).toBeGreaterThan(before + 0.1)
  }, 600_000)
})
