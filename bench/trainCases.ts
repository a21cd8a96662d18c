// The networks `npm run bench:train` times: the issue's tiny U-Net, the small presets, and the paper-sized
// ResNet-34 U-Net, ResNet-50 and ViT-B/16 classifiers, each with the PyTorch twin bench/reference/train_step.py
// builds (same architecture, batch and input size).
import * as tf from '@tensorflow/tfjs'
import { ResNet } from '../src/core/models/resnet/resnet'
import { resnetConfig } from '../src/core/models/resnet/resnetConfig'
import type { ResNetConfig } from '../src/core/models/resnet/resnetConfig'
import { SwinUnet } from '../src/core/models/swinUnet/swinUnet'
import { swinUnetConfig } from '../src/core/models/swinUnet/swinUnetConfig'
import { Unet } from '../src/core/models/unet/unet'
import { unetConfig } from '../src/core/models/unet/unetConfig'
import { VisionTransformer } from '../src/core/models/vit/visionTransformer'
import { vitConfig, type VitConfig } from '../src/core/models/vit/vitConfig'
import { createSeededRandom } from '../src/core/engine/seededRandom'
import { cassBenchStep, dinoBenchStep, type CustomStep } from './sslSteps'

export interface Net {
  forward(x: tf.Tensor4D): tf.Tensor
  parameters(): tf.Variable[]
  parameterCount: number
  dispose(): void
}

export interface BenchCase {
  name: string
  paperSized: boolean
  task: 'segmentation' | 'classification'
  classes: number
  batch: number
  size: number
  build(): Net
  /** A step other than one net's cross-entropy (DINO, CASS): bench/sslSteps.ts. */
  custom?: () => Promise<CustomStep>
  torch: Record<string, unknown>
}

/** The issue's tiny U-Net-like step (3 -> 16 -> 32 channels, a pool, an upsample, a skip), in plain ops. */
function issueNet(classes: number): Net {
  const random = createSeededRandom(1)
  const weight = (shape: number[]) => {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1)
    const values = Float32Array.from(
      { length: fanIn * shape[shape.length - 1] },
      () => random.normal() / Math.sqrt(fanIn),
    )
    return tf.variable(tf.tensor(values, shape))
  }
  const vars = {
    c1: weight([3, 3, 3, 16]),
    b1: tf.variable(tf.zeros([16])),
    c2: weight([3, 3, 16, 32]),
    b2: tf.variable(tf.zeros([32])),
    c3: weight([3, 3, 48, 16]),
    b3: tf.variable(tf.zeros([16])),
    head: weight([1, 1, 16, classes]),
    hb: tf.variable(tf.zeros([classes])),
  }
  const list = Object.values(vars)
  return {
    forward(x) {
      const a = tf.relu(tf.add(tf.conv2d(x, vars.c1 as tf.Tensor4D, 1, 'same'), vars.b1)) as tf.Tensor4D
      const b = tf.relu(
        tf.add(tf.conv2d(tf.maxPool(a, 2, 2, 'valid'), vars.c2 as tf.Tensor4D, 1, 'same'), vars.b2),
      )
      const [n, h, w, c] = b.shape
      // Nearest 2x upsampling with rank-4 tiles (tfjs has no tile gradient above rank 4).
      const cols = tf.tile(tf.reshape(b, [n * h, w, 1, c]), [1, 1, 2, 1])
      const up = tf.reshape(tf.tile(tf.reshape(cols, [n, h, 1, w * 2 * c]), [1, 1, 2, 1]), [
        n,
        h * 2,
        w * 2,
        c,
      ])
      const mixed = tf.relu(
        tf.add(tf.conv2d(tf.concat([up, a], 3) as tf.Tensor4D, vars.c3 as tf.Tensor4D, 1, 'same'), vars.b3),
      )
      return tf.add(tf.conv2d(mixed as tf.Tensor4D, vars.head as tf.Tensor4D, 1, 'same'), vars.hb)
    },
    parameters: () => list,
    parameterCount: list.reduce((n, v) => n + v.size, 0),
    dispose: () => tf.dispose(list),
  }
}

function moduleNet(module: ResNet | Unet | VisionTransformer | SwinUnet): Net {
  return {
    forward: (x) => module.forward(x),
    parameters: () => module.parameters(),
    parameterCount: module.parameterCount(),
    dispose: () => module.dispose(),
  }
}

function torchResnet(config: ResNetConfig) {
  const { block, layers, widths, stemWidth, numClasses } = config
  return { block, layers, widths, stemWidth, numClasses }
}

function torchVit(config: VitConfig) {
  const { patchSize, numLayers, numHeads, hiddenDim, mlpDim, numClasses } = config
  return { patchSize, numLayers, numHeads, hiddenDim, mlpDim, numClasses }
}

export function benchCases(): BenchCase[] {
  const unetSmall = unetConfig('unetTiny')
  const unetPaper = unetConfig('unetResnet34')
  const resnetSmall = resnetConfig('resnetTinyBottleneck')
  const resnetPaper = resnetConfig('resnet50', { numClasses: 4 })
  const vitPaper = vitConfig('vitB16', { numClasses: 4 })
  // Cross teaching's second network (SSL4MIS: Swin-T widths, 224 px, window 7).
  const swinUnetPaper = swinUnetConfig('swinUnetT')
  const noCustomNet = (): Net => {
    throw new Error('this case times its own step')
  }
  // DINO: official crops (2 × 224 + 8 × 96 px) and head (2048 → 256 → 65 536) on ResNet-50; CASS: ResNet-50
  // and ViT-B/16 with their 1000-class heads at 224 px. Small versions check the wiring in seconds.
  const ssl = (name: string, paperSized: boolean) => {
    const resnet = paperSized ? resnetConfig('resnet50') : resnetConfig('resnetTinyBottleneck')
    const vit = paperSized ? vitConfig('vitB16') : vitConfig('vitTiny')
    const size = paperSized ? 224 : 32
    const batch = paperSized ? 16 : 4
    const dino = {
      resnet,
      batch,
      size,
      localSize: paperSized ? 96 : 16,
      localCrops: paperSized ? 8 : 2,
      outDim: paperSized ? 65_536 : 256,
      headHidden: paperSized ? 2048 : 64,
      headBottleneck: paperSized ? 256 : 32,
    }
    const common = {
      paperSized,
      task: 'classification' as const,
      classes: 0,
      batch,
      size,
      build: noCustomNet,
    }
    return name === 'dino'
      ? {
          ...common,
          name: paperSized ? 'dinoPaper' : 'dinoSmall',
          custom: () => dinoBenchStep(dino),
          torch: { script: 'ssl_step.py', model: 'dino', ...dino, resnet: torchResnet(resnet) },
        }
      : {
          ...common,
          name: paperSized ? 'cassPaper' : 'cassSmall',
          custom: () => cassBenchStep({ resnet, vit, batch, size }),
          torch: { script: 'ssl_step.py', model: 'cass', resnet: torchResnet(resnet), vit: torchVit(vit) },
        }
  }
  return [
    {
      name: 'issueNet',
      paperSized: false,
      task: 'segmentation',
      classes: 2,
      batch: 8,
      size: 64,
      build: () => issueNet(2),
      torch: { model: 'issueNet', classes: 2 },
    },
    {
      name: 'unetSmall',
      paperSized: false,
      task: 'segmentation',
      classes: unetSmall.classes,
      batch: 8,
      size: 64,
      build: () => moduleNet(new Unet(unetSmall)),
      torch: {
        model: 'unet',
        resnet: torchResnet(unetSmall.encoder),
        decoderChannels: unetSmall.decoderChannels,
        classes: unetSmall.classes,
      },
    },
    {
      name: 'resnetSmall',
      paperSized: false,
      task: 'classification',
      classes: resnetSmall.numClasses!,
      batch: 8,
      size: 64,
      build: () => moduleNet(new ResNet(resnetSmall)),
      torch: { model: 'resnet', resnet: torchResnet(resnetSmall) },
    },
    {
      name: 'unetPaper',
      paperSized: true,
      task: 'segmentation',
      classes: unetPaper.classes,
      batch: 16,
      size: 224,
      build: () => moduleNet(new Unet(unetPaper)),
      torch: {
        model: 'unet',
        resnet: torchResnet(unetPaper.encoder),
        decoderChannels: unetPaper.decoderChannels,
        classes: unetPaper.classes,
      },
    },
    {
      name: 'resnetPaper',
      paperSized: true,
      task: 'classification',
      classes: 4,
      batch: 16,
      size: 224,
      build: () => moduleNet(new ResNet(resnetPaper)),
      torch: { model: 'resnet', resnet: torchResnet(resnetPaper) },
    },
    {
      name: 'vitPaper',
      paperSized: true,
      task: 'classification',
      classes: 4,
      batch: 16,
      size: 224,
      build: () => moduleNet(new VisionTransformer(vitPaper)),
      torch: { model: 'vit', vit: torchVit(vitPaper) },
    },
    {
      name: 'swinUnetPaper',
      paperSized: true,
      task: 'segmentation',
      classes: swinUnetPaper.numClasses,
      batch: 16,
      size: 224,
      build: () => moduleNet(new SwinUnet(swinUnetPaper)),
      torch: { model: 'swinUnet', swinUnet: swinUnetPaper, classes: swinUnetPaper.numClasses },
    },
    ssl('dino', false),
    ssl('cass', false),
    ssl('dino', true),
    ssl('cass', true),
  ]
}
