// The self-supervised steps `npm run bench:train` times beside bench/reference/ssl_step.py: one DINO step
// (student + teacher with DINO's head, 2 global + n local crops, loss, clipped AdamW step, EMA) and one CASS
// step (a ResNet and a ViT on the same batch, 2 − 2·cos, one Adam each), through the app's own step
// functions. The crops are random tensors: augmentation is data loading, not the step. Each step is cut into
// the micro-batches the app's own memory plan chooses (sslMemoryPlan.ts), as a run on the wasm backend (4 GiB
// heap) does; PyTorch takes the batch whole. The result is the same gradient, so the times compare.
import * as tf from '@tensorflow/tfjs'
import { createAdam, createAdamW } from '../src/core/engine/optim/adam'
import { createSeededRandom } from '../src/core/engine/seededRandom'
import { buildSeeded } from '../src/core/models/nn/module'
import { ResNet } from '../src/core/models/resnet/resnet'
import type { ResNetConfig } from '../src/core/models/resnet/resnetConfig'
import { VisionTransformer } from '../src/core/models/vit/visionTransformer'
import type { VitConfig } from '../src/core/models/vit/vitConfig'
import { cassStep } from '../src/core/methods/classification/cass'
import { dinoStep } from '../src/core/methods/classification/dinoStep'
import { OFFICIAL_MULTI_CROP } from '../src/core/methods/classification/multiCrop'
import { planCassMicroBatches, planDinoMicroBatches } from '../src/core/methods/classification/sslMemoryPlan'
import { DinoNet } from '../src/core/methods/classification/dinoNet'
import { initTeacher } from '../src/core/methods/classification/teacherEma'

export interface CustomStep {
  parameterCount: number
  /** The micro-batches one step is cut into, in words (sslMemoryPlan's summary). */
  plan: string
  /** One training step; returns the loss. */
  step(): number
  dispose(): void
}

export interface DinoBench {
  resnet: ResNetConfig
  batch: number
  size: number
  localSize: number
  localCrops: number
  outDim: number
  headHidden: number
  headBottleneck: number
}

function randomTensor(shape: number[], seed: number): tf.Tensor4D {
  const random = createSeededRandom(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  return tf.tensor4d(
    Float32Array.from({ length: n }, () => random.normal()),
    shape as [number, number, number, number],
  )
}

export async function dinoBenchStep(c: DinoBench): Promise<CustomStep> {
  const build = () =>
    buildSeeded(1, () => {
      const backbone = new ResNet({ ...c.resnet, numClasses: null })
      return new DinoNet(backbone, {
        inDim: backbone.embeddingSize,
        outDim: c.outDim,
        hiddenDim: c.headHidden,
        bottleneckDim: c.headBottleneck,
        layers: 3,
        normLastLayer: true,
      })
    })
  const student = build()
  const teacher = build()
  initTeacher(teacher, student)
  const center = tf.tidy(() => tf.variable(tf.zeros([1, c.outDim]), false))
  const optimizer = createAdamW({ learningRate: (5e-4 * c.batch) / 256, weightDecay: 0 })
  const regularised = new Set(
    student
      .namedParameters()
      .filter(([name, slot]) => !name.endsWith('.bias') && slot.shape.length > 1)
      .map(([, slot]) => slot.value),
  )
  const plan = await planDinoMicroBatches(
    student,
    { ...OFFICIAL_MULTI_CROP, globalSize: c.size, localSize: c.localSize, localCrops: c.localCrops },
    c.batch,
    0,
  )
  const globals = randomTensor([2 * c.batch, c.size, c.size, 3], 1)
  const locals = randomTensor([c.localCrops * c.batch, c.localSize, c.localSize, 3], 2)
  const views = {
    teacher: globals,
    student: [globals, locals],
    studentViews: Array.from({ length: 2 + c.localCrops }, (_, i) => i),
  }
  return {
    parameterCount: student.parameterCount(),
    plan: plan.summary,
    step: () =>
      dinoStep({ student, teacher, center, optimizer, regularised, frozen: new Set() }, views, {
        studentTemp: 0.1,
        teacherTemp: 0.04,
        lr: (5e-4 * c.batch) / 256,
        weightDecay: 0.04,
        clipGrad: 3,
        momentum: 0.996,
        centerMomentum: 0.9,
        microBatches: plan.microBatches,
        viewByView: plan.viewByView,
      }).dinoLoss,
    dispose: () => {
      student.dispose()
      teacher.dispose()
      optimizer.dispose()
      tf.dispose([center, globals, locals])
    },
  }
}

export interface CassBench {
  resnet: ResNetConfig
  vit: VitConfig
  batch: number
  size: number
}

export async function cassBenchStep(c: CassBench): Promise<CustomStep> {
  const cnn = buildSeeded(1, () => new ResNet(c.resnet))
  const vit = buildSeeded(2, () => new VisionTransformer({ ...c.vit, imageSize: c.size }))
  const cnnOptimizer = createAdam({ learningRate: 1e-3 })
  const vitOptimizer = createAdam({ learningRate: 1e-3 })
  const plan = await planCassMicroBatches(cnn, vit, c.size, c.batch, 0)
  const x = randomTensor([c.batch, c.size, c.size, 3], 3)
  return {
    parameterCount: cnn.parameterCount() + vit.parameterCount(),
    plan: plan.summary,
    step: () => cassStep({ cnn, vit, cnnOptimizer, vitOptimizer }, x, plan.microBatches, plan.netByNet),
    dispose: () => {
      cnn.dispose()
      vit.dispose()
      cnnOptimizer.dispose()
      vitOptimizer.dispose()
      x.dispose()
    },
  }
}
