import * as tf from '@tensorflow/tfjs'
import { yieldToEventLoop } from '../../engine/eventLoopTurn'
import { createSeededRandom } from '../../engine/seededRandom'
import { startNoiseStep } from '../../models/nn/dropout'
import { throwIfCancelled, type Hyper, type Method, type Preset } from '../method'
import { segmentationMethod } from './segmentationMethod'
import { trainingBatch } from './augmentedBatch'
import { supervisedLoss } from './losses'
import {
  classPixelCounts,
  classWeightedCrossEntropy,
  inverseFrequencyWeights,
} from './classWeightedCrossEntropy'
import { restoreTraining, trainingState } from '../trainingCheckpoint'
import { inOrder } from '../../data/inOrder'
import { bestValidation, type BestValidation } from './bestValidation'
import { batchImages, batchMasks, readBatches, type SegmentationData } from './segmentationData'
import { splitMetrics, splitScorer } from '../../eval/segmentationScores'
import {
  buildNet,
  predictProbabilities,
  scoreNet,
  type NetFactory,
  type SegmentationNet,
} from './segmentationNet'
import { optimizerSettings, presetOptimizer, scheduledLr } from '../../engine/optimizerConfig'
import { createOptimizer, type TrainingOptimizer } from '../../engine/trainingOptimizer'
import { microBatchSlices } from '../../engine/gradientAccumulation'
import { batchPart, planSegmentationMicroBatches, PLANNED_MICRO_BATCHES } from './segmentationMemoryPlan'
import { inputDefaults } from './inputDefaults'

/**
 * The supervised baseline (DEDL): a ResNet-34 U-Net trained on the labelled fraction only. Its loss is
 * DEDL's class-weighted cross-entropy (see classWeightedCrossEntropy.ts) or the ½(Dice + CE) of the
 * paper's semi-supervised branch (S4MI section 4.2.1). Unlabelled images are ignored.
 */

/** The supervised loss a run trains with: DEDL's, or the semi-supervised branch's labelled term. */
export type SupervisedLossKind = 'class-weighted-ce' | 'dice-ce'

/** One batch's loss to minimise and the terms shown on the live curves (per pixel, so sizes compare). */
interface Objective {
  (logits: tf.Tensor4D, labels: tf.Tensor3D): { loss: tf.Scalar; shown: Record<string, tf.Scalar> }
}

function supervisedObjective(kind: SupervisedLossKind, weights: tf.Tensor1D | null): Objective {
  if (kind === 'dice-ce')
    return (logits, labels) => {
      const s = supervisedLoss(logits, labels)
      // A copy: the optimiser disposes the loss it minimised.
      return { loss: s.loss, shown: { total: tf.clone(s.loss), dice: s.dice, ce: s.ce } }
    }
  return (logits, labels) => {
    const loss = classWeightedCrossEntropy(logits, labels, weights!)
    return { loss, shown: { total: tf.div(loss, labels.size) } }
  }
}

/**
 * One optimiser step on a batch, whole or in micro-batches (gradientAccumulation.ts); returns the terms shown
 * on the curves. DEDL's class-weighted CE is a sum over pixels: the micro-batches' sums add up to the batch's
 * exactly. ½(Dice + CE): CE is a mean over pixels (each part weighted by its share: exact), but SSL4MIS's
 * Dice sums over the whole batch before dividing, so split it becomes the share-weighted mean of each
 * micro-batch's Dice — close, not equal. BatchNorm: see segmentationMemoryPlan.ts.
 */
function supervisedStep(
  optimizer: TrainingOptimizer,
  net: SegmentationNet,
  objective: Objective,
  x: tf.Tensor4D,
  y: tf.Tensor3D,
  kind: SupervisedLossKind,
  microBatches: number,
  lr: number,
): Record<string, number> {
  const shown: Record<string, number> = {}
  const lossOf = (images: tf.Tensor4D, masks: tf.Tensor3D, share: number) => {
    const s = objective(net.forward(images) as tf.Tensor4D, masks)
    for (const [name, t] of Object.entries(s.shown))
      shown[name] = (shown[name] ?? 0) + share * t.dataSync()[0]
    return s.loss
  }
  const parts = microBatchSlices(x.shape[0], microBatches)
  if (parts.length === 1) optimizer.minimize(() => lossOf(x, y, 1), net.parameters(), lr)
  else
    optimizer.minimizeInMicroBatches(
      (part) => lossOf(batchPart(x, part), batchPart(y, part), part.count / x.shape[0]),
      kind === 'class-weighted-ce' ? parts.map((p) => ({ ...p, weight: 1 })) : parts,
      net.parameters(),
      lr,
    )
  return shown
}

function lossKind(h: Hyper): SupervisedLossKind {
  if (h.loss !== 'class-weighted-ce' && h.loss !== 'dice-ce')
    throw new Error(`loss must be 'class-weighted-ce' or 'dice-ce', got '${String(h.loss)}'`)
  return h.loss
}

export function supervisedDefaults(preset: Preset): Hyper {
  return {
    ...inputDefaults(preset),
    epochs: preset === 'paper' ? 50 : 40,
    batchSize: preset === 'paper' ? 16 : 8,
    augment: true,
    ...presetOptimizer(preset),
    // The paper's supervised baseline is DEDL's, whose notebook trains with class-weighted CE; quick runs
    // keep ½(Dice + CE), which needs no pass over the labelled masks before the first step.
    loss: preset === 'paper' ? 'class-weighted-ce' : 'dice-ce',
    // DEDL (Segmentation.ipynb): validate every epoch, test the best validation IoU's model, and stop once
    // the validation loss has risen 5 times running (0 = never stop early).
    keepBestValidation: true,
    earlyStopPatience: 5,
    ...PLANNED_MICRO_BATCHES,
  }
}

/** One validation pass: DEDL's score (dataset-level IoU) and the validation loss, offered to `best`. */
async function validateEpoch(
  net: SegmentationNet,
  data: SegmentationData,
  objective: Objective,
  epoch: number,
  best: BestValidation,
): Promise<boolean> {
  const size = data.size
  const scorer = splitScorer(data.classes)
  let lossSum = 0
  let count = 0
  net.train(false)
  try {
    for await (const b of readBatches(data.val, inOrder(data.val.ids.length, 8))) {
      const x = batchImages(b, size)
      const y = batchMasks(b, size, 'val')
      const [loss, labels] = tf.tidy(() => {
        const logits = net.forward(x) as tf.Tensor4D
        return [objective(logits, y).shown.total, tf.argMax(logits, -1)]
      })
      lossSum += loss.dataSync()[0] * b.count
      count += b.count
      const flat = labels.dataSync()
      tf.dispose([x, y, loss, labels])
      for (let k = 0; k < b.count; k++) {
        const at = [k * size * size, (k + 1) * size * size]
        scorer.add(flat.subarray(at[0], at[1]), b.masks!.subarray(at[0], at[1]))
      }
    }
  } finally {
    net.train(true)
  }
  return best.offer(epoch, scorer.result().datasetIou, lossSum / count)
}

export function supervisedMethod(nets: { cnn: NetFactory }): Method<SegmentationData> {
  return segmentationMethod('supervised', supervisedDefaults, async (ctx, h, owned) => {
    const { data } = ctx
    const settings = optimizerSettings(h)
    const kind = lossKind(h)
    const epochs = Number(h.epochs)
    const batchSize = Number(h.batchSize)
    // One stream per epoch, derived from the seed, so a run resumed at epoch E draws what it would have.
    const epochRandom = (epoch: number) => createSeededRandom(ctx.seed * 1_000_003 + epoch)
    const net = owned.keep(
      await buildNet(
        nets.cnn,
        { preset: ctx.preset, size: data.size, classes: data.classes, seed: ctx.seed },
        ctx.imagenetWeights,
      ),
    )
    const optimizer = owned.scratch(createOptimizer(settings))
    const n = data.labelled.ids.length
    // A trailing single image joins the previous batch: BatchNorm cannot train on one 1×1 map.
    const steps = n % batchSize === 1 && n > 1 ? Math.floor(n / batchSize) : Math.ceil(n / batchSize)
    let firstEpoch = 0
    const validating = Boolean(h.keepBestValidation) && data.val.ids.length > 0
    const best = bestValidation({ cnn: net }, Number(h.earlyStopPatience))
    const classWeights: Record<string, number> = {}
    let stoppedAt = 0
    let weights: tf.Tensor1D | null = null
    if (kind === 'class-weighted-ce') {
      const w = inverseFrequencyWeights(await classPixelCounts(data.labelled, data.classes))
      weights = owned.scratch(tf.tensor1d(w))
      ctx.log?.(
        `Class weights from the labelled masks' pixel frequencies: ${w.map((v) => v.toFixed(4)).join(', ')}`,
      )
      w.forEach((v, c) => (classWeights[`lossWeightClass${c}`] = v))
    }
    const objective = supervisedObjective(kind, weights)
    const memory = await planSegmentationMicroBatches(
      [net],
      data.size,
      Math.min(batchSize, Math.max(2, n)),
      settings,
      Number(h.microBatches),
      ctx.machine,
    )
    ctx.log?.(`Training step: ${memory.summary}`)
    const checkpointed = {
      nets: { cnn: net },
      optimizers: [{ prefix: 'optimizer.cnn.', optimizer, variables: () => net.parameters() }],
    }
    const resumed = await ctx.checkpoint?.restore()
    if (resumed) {
      restoreTraining(checkpointed, resumed.state)
      best.importState(resumed.state)
      firstEpoch = resumed.epoch
    }
    for (let epoch = firstEpoch; epoch < epochs; epoch++) {
      const random = epochRandom(epoch)
      const order = random.shuffle(Array.from({ length: n }, (_, i) => i))
      const plan = Array.from({ length: steps }, (_, step) => {
        const slice = order.slice(step * batchSize, step === steps - 1 ? n : (step + 1) * batchSize)
        // With a single labelled image, it fills the batch twice (augmented apart): BatchNorm cannot train
        // on one 1×1 map, and "exactly what I labelled" may well be one image.
        return slice.length === 1 ? [slice[0], slice[0]] : slice
      })
      let step = 0
      for await (const read of readBatches(data.labelled, plan)) {
        throwIfCancelled(ctx.signal)
        const started = Date.now()
        const iteration = epoch * steps + step
        const lr = scheduledLr(settings, iteration, epochs * steps, epoch)
        const batch = trainingBatch(read, data.size, Boolean(h.augment), () => random.next(), true)
        const x = batch.images
        const y = batch.masks!
        startNoiseStep(net, iteration)
        const shown = supervisedStep(optimizer, net, objective, x, y, kind, memory.microBatches, lr)
        const losses = shown
        tf.dispose([x, y])
        ctx.onProgress?.({
          epoch: epoch + 1,
          epochs,
          step: step + 1,
          steps,
          losses,
          lr,
          imagesPerSecond: read.count / Math.max(1e-3, (Date.now() - started) / 1000),
        })
        step++
        await yieldToEventLoop()
      }
      const stop = validating && (await validateEpoch(net, data, objective, epoch + 1, best))
      await ctx.checkpoint?.save(epoch + 1, {
        ...trainingState(checkpointed),
        ...best.exportState(),
      })
      if (stop) {
        stoppedAt = epoch + 1
        break
      }
    }
    // The test split scores the best validation model (DEDL), recorded on the run.
    best.restoreBest()
    const test = await scoreNet(net, data.test, data, 'test')
    const metrics = { ...splitMetrics('test', test, data.classNames), ...classWeights }
    if (best.best) metrics.bestEpoch = best.best.at
    if (stoppedAt) metrics.stoppedEarlyAtEpoch = stoppedAt
    if (data.val.ids.length)
      Object.assign(metrics, splitMetrics('val', await scoreNet(net, data.val, data, 'val'), data.classNames))
    return {
      hyper: { ...h, microBatches: memory.microBatches },
      metrics,
      predict: (images) => predictProbabilities(net, images),
      dispose: () => net.dispose(),
    }
  })
}
