// Whole training methods on the GPU backends, the same code a run in the GPU training window executes: the
// supervised segmentation method trains a small net on generated blobs, DINO pretrains a small ResNet and CASS
// a small ResNet with a small ViT on generated shapes, in Node on wasm and in the Chromium page on WebGPU and
// WebGL; the test compares them.
import { pretrainCass } from '../../src/core/methods/classification/cass'
import { pretrainDino } from '../../src/core/methods/classification/dino'
import { shapeImages } from '../../src/core/methods/classification/fixtures/shapeImages'
import { blobData } from '../../src/core/methods/segmentation/fixtures/blobData'
import { tinySegmentationNet } from '../../src/core/methods/segmentation/fixtures/tinyNets'
import { supervisedMethod } from '../../src/core/methods/segmentation/supervised'

export type MethodName = 'supervised' | 'dino' | 'cass'

export interface MethodNumbers {
  /** The total loss at every step, in order. */
  losses: number[]
  metrics: Record<string, number>
}

export async function supervisedTraining(seed = 1): Promise<MethodNumbers> {
  const losses: number[] = []
  const result = await supervisedMethod({ cnn: tinySegmentationNet() }).train({
    data: blobData({ size: 16, labelled: 8 }),
    preset: 'quick',
    seed,
    hyper: { epochs: 3, batchSize: 4 },
    onProgress: (p) => losses.push(p.losses.total),
  })
  const metrics = result.metrics
  result.dispose()
  return { losses, metrics }
}

/** Two epochs of DINO (2 steps each: 16 images of 16 px, batches of 8) on resnet_tiny: the DINO loss per step. */
export async function dinoPretraining(seed = 3): Promise<MethodNumbers> {
  const losses: number[] = []
  await pretrainDino({
    images: shapeImages(16, 16, 1),
    backbone: 'resnet_tiny',
    preset: 'quick',
    seed,
    hyper: { epochs: 2, batchSize: 8 },
    onProgress: (p) => losses.push(p.losses.dinoLoss),
  })
  return { losses, metrics: {} }
}

/** Two epochs of CASS (resnet_tiny with vit_tiny, 16 images of 16 px, batches of 8): its loss per step. */
export async function cassPretraining(seed = 1): Promise<MethodNumbers> {
  const losses: number[] = []
  await pretrainCass({
    images: shapeImages(16, 16, 1),
    cnn: 'resnet_tiny',
    vit: 'vit_tiny',
    preset: 'quick',
    seed,
    hyper: { epochs: 2, batchSize: 8 },
    onProgress: (p) => losses.push(p.losses.cassLoss),
  })
  return { losses, metrics: {} }
}
