// npm run bench:predict — does predicting a few model inputs at a time pay? For each segmentation net of
// both presets, the time per input of evaluation-mode forward passes one at a time (the reference) and
// in batches of 2, PREDICTION_BATCH and 8, on the backend the app would choose (S4MI_BACKEND, S4MI_THREADS
// as for training). Then the whole path a finished run takes (read, predict, resize back, store) over a
// demo project with the quick U-Net, one at a time against PREDICTION_BATCH; and a classification run's
// labelling-loop pass (read, classify, average) one image at a time against 8 samples a pass. Each goal
// printed met or not.
// Flags: --inputs N (inputs per measurement, 16)  --images N (demo images, 24)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { describeBackend, selectBackend } from '../src/core/engine/backend/selectBackend'
import { createDemoProject } from '../src/core/demo/createDemoProject'
import { buildSeeded } from '../src/core/models/nn/module'
import { SwinUnet } from '../src/core/models/swinUnet/swinUnet'
import { swinUnetConfig } from '../src/core/models/swinUnet/swinUnetConfig'
import { Unet } from '../src/core/models/unet/unet'
import { unetConfig } from '../src/core/models/unet/unetConfig'
import { PREDICTION_BATCH, type Predictor } from '../src/core/methods/segmentation/predictionBatches'
import { storeRunPredictions } from '../src/core/methods/segmentation/slidePrediction'
import { closeProject } from '../src/core/store/project'
import { buildClassifier } from '../src/core/methods/classification/classifierNet'
import { listTrainingSamples } from '../src/core/data/trainingSamples'
import { listImages } from '../src/core/store/images'
import { listClasses } from '../src/core/store/classes'
import { imageProbabilities } from '../src/core/train/imageProbabilities'
import { createRun } from '../src/core/store/runs'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const INPUTS = Number(arg('inputs', '16'))
const IMAGES = Number(arg('images', '24'))
/** Goal: PREDICTION_BATCH at a time is at least this much faster per input than one at a time. */
const GOAL = 1.1
const CLASSES = 4

interface Net {
  forward(x: tf.Tensor): tf.Tensor
  dispose(): void
  eval(): unknown
}

interface NetCase {
  name: string
  size: number
  build: () => Net
}

const cases: NetCase[] = [
  { name: 'quick U-Net', size: 32, build: () => new Unet(unetConfig('unetTiny', { classes: CLASSES })) },
  { name: 'quick U-Net', size: 224, build: () => new Unet(unetConfig('unetTiny', { classes: CLASSES })) },
  {
    name: 'quick Swin-UNet',
    size: 32,
    build: () => new SwinUnet(swinUnetConfig('swinUnetTiny', { numClasses: CLASSES, imageSize: 32 })),
  },
  {
    name: 'ResNet-34 U-Net',
    size: 224,
    build: () => new Unet(unetConfig('unetResnet34', { classes: CLASSES })),
  },
  {
    name: 'Swin-UNet (Swin-T)',
    size: 224,
    build: () => new SwinUnet(swinUnetConfig('swinUnetT', { numClasses: CLASSES, imageSize: 224 })),
  },
]

/** Milliseconds per input over INPUTS inputs, `batch` to a forward pass (best of two passes). */
function msPerInput(net: Net, x: tf.Tensor4D, batch: number): number {
  const size = x.shape[1]
  let best = Infinity
  for (let pass = 0; pass < 2; pass++) {
    const t0 = performance.now()
    for (let i = 0; i < INPUTS; i += batch) {
      const n = Math.min(batch, INPUTS - i)
      const y = tf.tidy(() => tf.softmax(net.forward(x.slice([i, 0, 0, 0], [n, size, size, 3]))))
      y.dataSync()
      y.dispose()
    }
    best = Math.min(best, (performance.now() - t0) / INPUTS)
  }
  return best
}

/** Peak tensor bytes of one evaluation-mode forward pass over `batch` inputs (tf.profile). */
async function peakBytes(net: Net, x: tf.Tensor4D, batch: number): Promise<number> {
  const size = x.shape[1]
  const info = await tf.profile(() => {
    const y = tf.tidy(() => tf.softmax(net.forward(x.slice([0, 0, 0, 0], [batch, size, size, 3]))))
    y.dispose()
  })
  return info.peakBytes - tf.memory().numBytes
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`

const verdict = (ratio: number) => (ratio >= GOAL ? 'met' : 'NOT met')

async function endToEnd(): Promise<{ alone: number; together: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-bench-predict-'))
  const { project } = await createDemoProject(path.join(dir, 'demo'), { count: IMAGES, seed: 4 })
  const net = buildSeeded(1, () => new Unet(unetConfig('unetTiny', { classes: 2 }))).eval()
  const predict: Predictor = (x) => tf.softmax(net.forward(x)) as tf.Tensor4D
  const run = () =>
    createRun(project, {
      task: 'segmentation',
      method: 'supervised',
      labelFraction: 1,
      seed: 0,
      config: {},
      datasetVersion: 'bench',
    })
  const timed = async (batch: number) => {
    const t0 = performance.now()
    await storeRunPredictions(project, run(), predict, { size: 32, redChannel: false, classes: 2, batch })
    return (performance.now() - t0) / IMAGES
  }
  try {
    await timed(PREDICTION_BATCH) // warm-up: kernels compiled, blobs read once
    const alone = Math.min(await timed(1), await timed(1))
    const together = Math.min(await timed(PREDICTION_BATCH), await timed(PREDICTION_BATCH))
    return { alone, together }
  } finally {
    net.dispose()
    closeProject(project)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** A classifier's probabilities for every demo image (quick ResNet, 32 px): one image a pass vs 8 samples. */
async function classifierPasses(): Promise<{ alone: number; together: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-bench-classify-'))
  const { project } = await createDemoProject(path.join(dir, 'demo'), { count: IMAGES, seed: 4 })
  const classes = listClasses(project)
  const net = buildClassifier({ backbone: 'resnet_tiny', classes: classes.length, imageSize: 32, seed: 1 })
  net.train(false)
  const model = { net, size: 32, redChannel: false, classes, kind: 'multi-class' as const }
  const images = listImages(project)
  const samples = listTrainingSamples(project, images, { tiles: true })
  const timed = async (together: boolean) => {
    const t0 = performance.now()
    if (together) await imageProbabilities(project, model, samples, 8)
    else
      for (const image of images)
        await imageProbabilities(
          project,
          model,
          samples.filter((s) => s.imageId === image.id),
          8,
        )
    return (performance.now() - t0) / images.length
  }
  try {
    await timed(true) // warm-up
    return {
      alone: Math.min(await timed(false), await timed(false)),
      together: Math.min(await timed(true), await timed(true)),
    }
  } finally {
    net.dispose()
    closeProject(project)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const info = await selectBackend()
  console.log(describeBackend(info))
  console.log(
    `Prediction, ms per input (${INPUTS} inputs, best of 2); goal: ${PREDICTION_BATCH} at a time ≥ ${GOAL}× one at a time`,
  )
  const batches = [1, 2, PREDICTION_BATCH, 8]
  const rows: string[] = []
  for (const c of cases) {
    const net = buildSeeded(1, c.build)
    net.eval()
    const x = tf.randomNormal([INPUTS, c.size, c.size, 3], 0, 1, 'float32', 3) as tf.Tensor4D
    msPerInput(net, x, PREDICTION_BATCH) // warm-up
    const ms = batches.map((b) => msPerInput(net, x, b))
    const peaks = [await peakBytes(net, x, 1), await peakBytes(net, x, PREDICTION_BATCH)]
    x.dispose()
    net.dispose()
    const ratio = ms[0] / ms[batches.indexOf(PREDICTION_BATCH)]
    rows.push(
      `  ${`${c.name} ${c.size} px`.padEnd(28)} ` +
        batches.map((b, i) => `${b} at a time ${ms[i].toFixed(1)}`).join(', ') +
        ` — ${ratio.toFixed(2)}×: ${verdict(ratio)}; peak memory of a pass ${mb(peaks[0])} one at a time, ` +
        `${mb(peaks[1])} ${PREDICTION_BATCH} at a time`,
    )
    console.log(rows.at(-1))
  }
  const e = await endToEnd()
  const ratio = e.alone / e.together
  console.log(
    `Storing a run's predictions of ${IMAGES} demo images (quick U-Net, 32 px; read, predict, resize, store), ` +
      `ms per image: one at a time ${e.alone.toFixed(1)}, ${PREDICTION_BATCH} at a time ${e.together.toFixed(1)} — ` +
      `${ratio.toFixed(2)}×: ${verdict(ratio)}`,
  )
  const c = await classifierPasses()
  const classified = c.alone / c.together
  console.log(
    `Classifying ${IMAGES} demo images for the labelling loop (quick ResNet, 32 px; read, classify, average), ` +
      `ms per image: one image a pass ${c.alone.toFixed(1)}, 8 samples a pass ${c.together.toFixed(1)} — ` +
      `${classified.toFixed(2)}×: ${verdict(classified)}`,
  )
}

void main()
