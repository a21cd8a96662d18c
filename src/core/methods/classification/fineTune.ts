import * as tf from '@tensorflow/tfjs'
import { yieldToEventLoop } from '../../engine/eventLoopTurn'
import { withTrainingResources } from '../trainingResources'
import { restoreTraining, trainingState } from '../trainingCheckpoint'
import { startNoiseStep } from '../../models/nn/dropout'
import { prefetched } from '../../data/prefetch'
import { createSeededRandom } from '../../engine/seededRandom'
import type { TrainState } from '../../engine/trainState'
import { scoreMetrics, type ClassificationScores } from '../../eval/classificationScores'
import {
  throwIfCancelled,
  type CheckpointHooks,
  type Hyper,
  type ImagenetWeightsLookup,
  type Preset,
  type TrainProgress,
} from '../method'
import { captureNetState, restoreNetState } from '../netState'
import { optimizerSettings, scheduledLr } from '../../engine/optimizerConfig'
import { createOptimizer } from '../../engine/trainingOptimizer'
import {
  CLASSIFICATION_LOSSES,
  checkLossForLabels,
  classificationLoss,
  classProbabilities,
  defaultLossFor,
  type ClassificationLossKind,
  type LossOptions,
} from './classificationLoss'
import {
  BACKBONES,
  buildClassifier,
  classifierImagenetWeights,
  initFromImagenet,
  loadBackbone,
  type BackboneStart,
  type ClassifierBackbone,
  type ClassifierNet,
} from './classifierNet'
import { evaluateSet, type SetEvaluation } from './classifierEvaluation'
import {
  checkClassificationData,
  classCounts,
  imageBatch,
  sampleCount,
  targetBatch,
  type ClassificationData,
} from './classificationData'
import { afterEpoch, startEarlyStopping, type EarlyStopping } from './earlyStopping'
import { focalClassWeights } from './focalLoss'

/**
 * Labelled fine-tuning of a classifier, the step every classification method ends with: the supervised
 * baseline fine-tunes an ImageNet (or random) backbone, DINO and CASS fine-tune the backbone their
 * pretraining produced. A fresh linear head for the project's classes, the head and loss the label mode
 * asks for, Adam with a cosine schedule, and CASS's fine-tuning discipline (METHODS.md): after each epoch
 * the validation loss and F1; stop when the validation loss has risen `patience` epochs running; keep the
 * weights of the best validation F1 (macro). Checkpoints each epoch (weights, optimiser moments, the best
 * weights so far, the stopping state) and resumes from them exactly.
 */

/**
 * Fine-tuning settings. Paper preset from CASS's fine-tuning (CASS.ipynb: Adam 3e-4, cosine, 50 epochs,
 * batch 16, early stop after 5 rises, focal α 1 γ 2); the scheduler steps per epoch (the notebook steps it
 * per batch, a bug METHODS.md says not to copy), annealing over the run to 1e-6 (its `min_lr`). `loss`
 * 'auto' follows the project's label mode (softmax CE for multi-class, BCE for multi-label).
 */
export function fineTuneDefaults(preset: Preset): Hyper {
  const paper = preset === 'paper'
  return {
    epochs: paper ? 50 : 15,
    batchSize: paper ? 16 : 8,
    augment: true,
    optimizer: 'adam',
    lr: paper ? 3e-4 : 2e-3,
    momentum: 0.9,
    weightDecay: 0,
    schedule: 'cosine',
    /** 0: anneal over the whole run, stepped per epoch. */
    cosineTMax: 0,
    etaMin: paper ? 1e-6 : 0,
    stepSize: 30,
    gamma: 0.1,
    loss: 'auto',
    focalAlpha: 1,
    focalGamma: 2,
    /** 'cass': class counts min-max scaled to [0.2, 1] (focal loss only); 'none': all 1. */
    classWeights: 'none',
    /** Early stopping: epochs of rising validation loss in a row; 0 never stops early. */
    patience: 5,
  }
}

export type FineTuneStart =
  /** Weights a pretraining produced (DINO, CASS), by torchvision name, head left out. */
  | { kind: 'pretrained'; state: TrainState; from: string }
  /** The user's imported ImageNet weights when `lookup` has them, else random (the log says which). */
  | { kind: 'imagenet'; lookup?: ImagenetWeightsLookup }

export interface FineTuneInput {
  data: ClassificationData
  backbone: ClassifierBackbone
  start: FineTuneStart
  /** fineTuneDefaults merged with the run's overrides. */
  hyper: Hyper
  seed: number
  onProgress?(p: TrainProgress): void
  signal?: AbortSignal
  /**
   * Per-epoch checkpoints. A restored state without fine-tuning's keys (e.g. a pretraining checkpoint
   * of the same run) starts fine-tuning from the beginning.
   */
  checkpoint?: CheckpointHooks
  /** One line per notable event (the backbone's start, early stopping); the worker's log. */
  log?(line: string): void
}

export interface FineTuneResult {
  /** The best-validation weights; the caller disposes (or calls dispose()). */
  net: ClassifierNet
  start: BackboneStart
  /** 1-based epoch whose weights were kept. */
  bestEpoch: number
  epochsRun: number
  stoppedEarly: boolean
  test: ClassificationScores
  /** Flat scores: testF1Macro, testF1Weighted, testRecallMacro, … and the val ones when there is a val split. */
  metrics: Record<string, number>
  /** Class probabilities [N, classes] (softmax or sigmoid per the label mode) of preprocessed images. */
  predict(images: tf.Tensor4D): tf.Tensor2D
  dispose(): void
}

export function lossSettings(
  h: Hyper,
  data: ClassificationData,
): { kind: ClassificationLossKind; options: LossOptions } {
  const name = h.loss === 'auto' ? defaultLossFor(data.labelKind) : String(h.loss)
  if (!(CLASSIFICATION_LOSSES as readonly string[]).includes(name))
    throw new Error(`loss must be auto, ${CLASSIFICATION_LOSSES.join(', ')}; got '${name}'`)
  const kind = name as ClassificationLossKind
  checkLossForLabels(kind, data.labelKind)
  if (h.classWeights !== 'none' && h.classWeights !== 'cass')
    throw new Error(`classWeights must be 'none' or 'cass', got '${h.classWeights}'`)
  const classWeights =
    h.classWeights === 'cass' ? focalClassWeights(classCounts(data.labelled, data.classes)) : undefined
  if (classWeights && kind !== 'focal') throw new Error("classWeights 'cass' goes with the focal loss")
  return {
    kind,
    options: { focalAlpha: Number(h.focalAlpha), focalGamma: Number(h.focalGamma), classWeights },
  }
}

const scalar = (v: number) => ({ shape: [1], values: Float32Array.of(v) })
const NET = 'net'
const BEST = 'best'

export async function fineTune(input: FineTuneInput): Promise<FineTuneResult> {
  const { data, hyper: h } = input
  checkClassificationData(data)
  const settings = optimizerSettings(h)
  const loss = lossSettings(h, data)
  const epochs = Number(h.epochs)
  const batchSize = Number(h.batchSize)
  const patience = Number(h.patience)
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`epochs must be a positive integer, got ${epochs}`)
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`)
  const log = input.log ?? (() => {})
  const imagenet =
    input.start.kind === 'imagenet'
      ? await classifierImagenetWeights(input.backbone, input.start.lookup)
      : null
  return withTrainingResources(async (owned) => {
    const net = owned.keep(
      buildClassifier({
        backbone: input.backbone,
        classes: data.classes,
        imageSize: data.size,
        seed: input.seed,
      }),
    )
    const optimizer = owned.scratch(createOptimizer(settings))
    let start: BackboneStart
    if (input.start.kind === 'pretrained') {
      loadBackbone(net, input.start.state, input.start.from)
      start = { kind: 'pretrained', from: input.start.from }
    } else start = initFromImagenet(net, imagenet)
    log(
      start.kind === 'random'
        ? `${BACKBONES[input.backbone].label}: ${start.note}`
        : `${BACKBONES[input.backbone].label}: ${start.kind === 'imagenet' ? 'ImageNet' : 'pretrained'} weights from ${start.from}`,
    )
    const n = sampleCount(data.labelled)
    // A trailing single image joins the previous batch: BatchNorm cannot train on one 1×1 map.
    const steps = n % batchSize === 1 && n > 1 ? Math.floor(n / batchSize) : Math.ceil(n / batchSize)
    const epochRandom = (epoch: number) => createSeededRandom(input.seed * 1_000_003 + 7919 * (epoch + 1))
    const hasVal = data.val.ids.length > 0
    let stop: EarlyStopping = startEarlyStopping()
    let best: TrainState | null = null
    let firstEpoch = 0
    const checkpointed = {
      nets: { [NET]: net },
      optimizers: [{ prefix: `optimizer.${NET}.`, optimizer, variables: () => net.parameters() }],
    }
    const resumed = await input.checkpoint?.restore()
    if (resumed && resumed.state['fineTune.epoch']) {
      const s = resumed.state
      restoreTraining(checkpointed, s)
      firstEpoch = s['fineTune.epoch'].values[0]
      stop = {
        bestScore: s['fineTune.bestScore'].values[0],
        bestEpoch: s['fineTune.bestEpoch'].values[0],
        lastValLoss: s['fineTune.lastValLoss'].values[0],
        rises: s['fineTune.rises'].values[0],
        stopped: s['fineTune.stopped'].values[0] === 1,
      }
      best = Object.fromEntries(
        Object.entries(s)
          .filter(([k]) => k.startsWith(`${BEST}.`))
          .map(([k, v]) => [`${NET}.${k.slice(BEST.length + 1)}`, v]),
      )
      if (!Object.keys(best).length) best = null
      log(`Fine-tuning resumed after epoch ${firstEpoch}`)
    }
    let val: SetEvaluation | null = null
    let epoch = firstEpoch
    for (; epoch < epochs && !stop.stopped; epoch++) {
      const random = epochRandom(epoch)
      const order = random.shuffle(Array.from({ length: n }, (_, i) => i))
      const lr = scheduledLr(settings, epoch, epochs, epoch)
      // Batches as index lists; a trailing single image joins the previous batch (see steps), and a lone
      // image fills its batch twice (augmented apart): BatchNorm cannot train on one sample.
      const plan = Array.from({ length: steps }, (_, step) => {
        const slice = order.slice(step * batchSize, step === steps - 1 ? n : (step + 1) * batchSize)
        return slice.length === 1 ? [slice[0], slice[0]] : slice
      })
      let step = 0
      for await (const pixels of prefetched(plan, (idx) => data.labelled.read(idx))) {
        throwIfCancelled(input.signal)
        const started = Date.now()
        const idx = plan[step++]
        const x = imageBatch(pixels, data.size, h.augment ? () => random.next() : undefined)
        const y = targetBatch(data.labelled, data.classes, idx)
        // A ViT's dropout and drop path draw this step's masks from (net seed, module, step): resume repeats.
        startNoiseStep(net, epoch * steps + step - 1)
        const value = optimizer.minimize(
          () => classificationLoss(loss.kind, net.forward(x), y, loss.options),
          net.parameters(),
          lr,
        )
        tf.dispose([x, y])
        input.onProgress?.({
          epoch: epoch + 1,
          epochs,
          step,
          steps,
          losses: {
            fineTune: value,
            valLoss: val?.loss ?? NaN,
            valF1Macro: val?.scores?.f1Macro ?? NaN,
          },
          lr,
          imagesPerSecond: idx.length / Math.max(1e-3, (Date.now() - started) / 1000),
        })
        await yieldToEventLoop()
      }
      if (hasVal) {
        val = await evaluateSet(net, data.val, data.size, data.labelKind, loss, batchSize)
        const next = afterEpoch(stop, epoch + 1, val.loss, val.scores?.f1Macro ?? 0, patience)
        stop = next.state
        if (next.improved) best = captureNetState({ [NET]: net })
        if (stop.stopped)
          log(`Early stop after epoch ${epoch + 1}: validation loss rose ${stop.rises} epochs running`)
      } else {
        stop = { ...stop, bestEpoch: epoch + 1 }
      }
      await input.checkpoint?.save(epoch + 1, {
        ...trainingState(checkpointed),
        ...(best
          ? Object.fromEntries(
              Object.entries(best).map(([k, v]) => [`${BEST}.${k.slice(NET.length + 1)}`, v]),
            )
          : {}),
        'fineTune.epoch': scalar(epoch + 1),
        'fineTune.bestScore': scalar(stop.bestScore),
        'fineTune.bestEpoch': scalar(stop.bestEpoch),
        'fineTune.lastValLoss': scalar(stop.lastValLoss),
        'fineTune.rises': scalar(stop.rises),
        'fineTune.stopped': scalar(stop.stopped ? 1 : 0),
      })
    }
    if (best) restoreNetState({ [NET]: net }, best)
    const test = await evaluateSet(net, data.test, data.size, data.labelKind, loss, batchSize)
    const metrics = scoreMetrics(test.scores!, 'test', data.classNames)
    metrics.testLoss = test.loss
    if (hasVal) {
      const v = await evaluateSet(net, data.val, data.size, data.labelKind, loss, batchSize)
      Object.assign(metrics, scoreMetrics(v.scores!, 'val', data.classNames), { valLoss: v.loss })
    }
    metrics.bestEpoch = stop.bestEpoch
    return {
      net,
      start,
      bestEpoch: stop.bestEpoch,
      epochsRun: epoch,
      stoppedEarly: stop.stopped,
      test: test.scores!,
      metrics,
      predict: (images) => {
        net.train(false)
        try {
          return tf.tidy(() => classProbabilities(data.labelKind, net.forward(images)))
        } finally {
          net.train(true)
        }
      },
      dispose: () => net.dispose(),
    }
  })
}
