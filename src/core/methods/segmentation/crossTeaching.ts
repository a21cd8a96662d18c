import * as tf from '@tensorflow/tfjs'
import { yieldToEventLoop } from '../../engine/eventLoopTurn'
import { createSeededRandom } from '../../engine/seededRandom'
import { startNoiseStep } from '../../models/nn/dropout'
import { randomStreamState, restoredRandomStream } from '../../engine/randomStreamState'
import { throwIfCancelled, type Hyper, type Method, type Preset } from '../method'
import { segmentationMethod } from './segmentationMethod'
import { prefetched } from '../../data/prefetch'
import { trainingBatch } from './augmentedBatch'
import { crossTeachingStep } from './crossTeachingStep'
import { planSegmentationMicroBatches, PLANNED_MICRO_BATCHES } from './segmentationMemoryPlan'
import { crossTeachingWeight } from './crossTeachingWeight'
import { bestValidation } from './bestValidation'
import { restoreTraining, trainingState } from '../trainingCheckpoint'
import { PREFETCH_BATCHES, type SegmentationData } from './segmentationData'
import { splitMetrics } from '../../eval/segmentationScores'
import { buildNet, predictProbabilities, scoreNet, type NetFactory } from './segmentationNet'
import { optimizerSettings, presetOptimizer, scheduledLr } from '../../engine/optimizerConfig'
import { createOptimizer } from '../../engine/trainingOptimizer'
import { inputDefaults } from './inputDefaults'
import { endlessShuffle, twoStreamBatches } from './twoStreamBatches'

/**
 * Cross teaching between a CNN U-Net and a Swin-UNet (Luo et al. 2022, SSL4MIS
 * train_cross_teaching_between_cnn_transformer_2D.py). Iteration-based like SSL4MIS; an "epoch" is
 * one pass of the two-stream sampler over the labelled images.
 */

export function crossTeachingDefaults(preset: Preset): Hyper {
  const maxIterations = preset === 'paper' ? 30_000 : 80
  return {
    ...inputDefaults(preset),
    maxIterations,
    augment: true,
    labelledPerBatch: preset === 'paper' ? 8 : 4,
    unlabelledPerBatch: preset === 'paper' ? 8 : 4,
    ...presetOptimizer(preset),
    consistency: 0.1,
    rampupLength: 200,
    // 0 = maxIterations / rampupLength: SSL4MIS's 150 at 30 000 iterations; shorter runs keep the ramp's shape.
    rampupIterationsPerStep: 0,
    reportSwin: false,
    // SSL4MIS validates every 200 iterations and tests its best model1 (highest mean validation Dice);
    // no early stopping. Quick runs validate proportionally more often.
    keepBestValidation: true,
    validateEvery: preset === 'paper' ? 200 : 20,
    ...PLANNED_MICRO_BATCHES,
  }
}

export function crossTeachingMethod(nets: { cnn: NetFactory; swin: NetFactory }): Method<SegmentationData> {
  return segmentationMethod('cross-teaching', crossTeachingDefaults, async (ctx, h, owned) => {
    const { data } = ctx
    const settings = optimizerSettings(h)
    const maxIterations = Number(h.maxIterations)
    const ramp = {
      consistency: Number(h.consistency),
      rampupLength: Number(h.rampupLength),
      iterationsPerStep: Number(h.rampupIterationsPerStep) || maxIterations / Number(h.rampupLength),
    }
    const allLabelled = data.unlabelled.ids.length === 0
    // 100 % labels: the paper's 15 + 1, the "unlabelled" one drawn from the labelled images, labels unused.
    const asked = allLabelled
      ? {
          labelledPerBatch: Number(h.labelledPerBatch) + Number(h.unlabelledPerBatch) - 1,
          unlabelledPerBatch: 1,
        }
      : { labelledPerBatch: Number(h.labelledPerBatch), unlabelledPerBatch: Number(h.unlabelledPerBatch) }
    // A small labelled fraction may hold fewer images than half a batch (SSL4MIS would train nothing):
    // use them all in every batch, and record the composition actually used.
    const composition = {
      ...asked,
      labelledPerBatch: Math.max(1, Math.min(asked.labelledPerBatch, data.labelled.ids.length)),
    }
    // One stream for sampling and augmentation, saved with each checkpoint (with the unlabelled order) so
    // a resumed run draws exactly what the uninterrupted one would.
    let random = createSeededRandom(ctx.seed)
    const labelledIdx = data.labelled.ids.map((_, i) => i)
    const secondSet = allLabelled ? data.labelled : data.unlabelled
    const stream = endlessShuffle(
      secondSet.ids.map((_, i) => i),
      () => random.next(),
    )
    const batchesPerEpoch = Math.floor(labelledIdx.length / composition.labelledPerBatch)
    const epochs = Math.max(1, Math.ceil(maxIterations / Math.max(1, batchesPerEpoch)))
    const spec = { preset: ctx.preset, size: data.size, classes: data.classes }
    const cnn = owned.keep(await buildNet(nets.cnn, { ...spec, seed: ctx.seed }, ctx.imagenetWeights))
    const swin = owned.keep(await buildNet(nets.swin, { ...spec, seed: ctx.seed + 1 }, ctx.imagenetWeights))
    const optimizer = owned.scratch(createOptimizer(settings))
    const size = data.size
    const validating = Boolean(h.keepBestValidation) && data.val.ids.length > 0
    const validateEvery = Math.max(1, Number(h.validateEvery))
    // The reported net is the CNN (as SSL4MIS and the paper); its best validation state is kept.
    const best = bestValidation({ cnn }, 0)
    let iteration = 0
    let epoch = 0
    const memory = await planSegmentationMicroBatches(
      [cnn, swin],
      size,
      composition.labelledPerBatch + composition.unlabelledPerBatch,
      settings,
      Number(h.microBatches),
      ctx.machine,
    )
    ctx.log?.(`Training step: ${memory.summary}`)
    const checkpointed = {
      nets: { cnn, swin },
      optimizers: [
        {
          prefix: 'optimizer.both.',
          optimizer,
          variables: () => [...cnn.parameters(), ...swin.parameters()],
        },
      ],
    }
    const resumed = await ctx.checkpoint?.restore()
    if (resumed) {
      best.importState(resumed.state)
      restoreTraining(checkpointed, resumed.state)
      epoch = resumed.epoch
      iteration = Math.min(maxIterations, epoch * batchesPerEpoch)
      random = restoredRandomStream('crossTeaching', resumed.state) ?? random
      const order = resumed.state['random.unlabelledOrder']
      if (order) stream.restore(Array.from(order.values))
    }
    while (iteration < maxIterations) {
      const batches = twoStreamBatches(labelledIdx, stream, composition, () => random.next())
      // The iterations left decide how many of this epoch's batches are read at all.
      const planned = batches.slice(0, Math.max(0, maxIterations - iteration))
      const reads = prefetched(
        planned,
        (b) => Promise.all([data.labelled.read(b.labelled), secondSet.read(b.unlabelled)]),
        PREFETCH_BATCHES,
      )
      let step = 0
      for await (const [labelledRead, unlabelledRead] of reads) {
        const b = planned[step]
        throwIfCancelled(ctx.signal)
        const started = Date.now()
        const lambda = crossTeachingWeight(iteration, ramp)
        const lr = scheduledLr(settings, iteration, maxIterations, epoch)
        const draw = () => random.next()
        const augment = Boolean(h.augment)
        const lab = trainingBatch(labelledRead, size, augment, draw, true)
        const unl = trainingBatch(unlabelledRead, size, augment, draw, false)
        const x = tf.concat([lab.images, unl.images])
        const y = lab.masks!
        tf.dispose([lab.images, unl.images])
        // The Swin-UNet's stochastic depth (and any dropout) draws this iteration's masks from
        // (net seed, module, iteration): a resumed run draws what the uninterrupted one did.
        startNoiseStep(cnn, iteration)
        startNoiseStep(swin, iteration)
        const losses = crossTeachingStep(optimizer, { cnn, swin }, x, y, lambda, memory.microBatches, lr)
        tf.dispose([x, y])
        iteration++
        if (validating && iteration % validateEvery === 0)
          best.offer(iteration, (await scoreNet(cnn, data.val, data, 'val')).meanDice)
        ctx.onProgress?.({
          epoch: epoch + 1,
          epochs,
          step: step + 1,
          steps: batches.length,
          losses: { ...losses, lambda },
          lr,
          imagesPerSecond:
            (b.labelled.length + b.unlabelled.length) / Math.max(1e-3, (Date.now() - started) / 1000),
        })
        step++
        await yieldToEventLoop()
      }
      epoch++
      await ctx.checkpoint?.save(epoch, {
        ...trainingState(checkpointed),
        ...best.exportState(),
        ...randomStreamState('crossTeaching', random),
        'random.unlabelledOrder': {
          shape: [stream.state().length],
          values: Float32Array.from(stream.state()),
        },
      })
    }
    best.restoreBest()
    // SSL4MIS and the paper report the CNN: it is the steadier of the two.
    const test = await scoreNet(cnn, data.test, data, 'test')
    const metrics = splitMetrics('test', test, data.classNames)
    if (best.best) metrics.bestIteration = best.best.at
    if (data.val.ids.length)
      Object.assign(metrics, splitMetrics('val', await scoreNet(cnn, data.val, data, 'val'), data.classNames))
    if (h.reportSwin)
      Object.assign(
        metrics,
        splitMetrics('swinTest', await scoreNet(swin, data.test, data, 'test'), data.classNames),
      )
    return {
      hyper: {
        ...h,
        batchComposition: `${composition.labelledPerBatch}+${composition.unlabelledPerBatch}`,
        microBatches: memory.microBatches,
      },
      metrics,
      predict: (images) => predictProbabilities(cnn, images),
      dispose: () => {
        cnn.dispose()
        swin.dispose()
      },
    }
  })
}
