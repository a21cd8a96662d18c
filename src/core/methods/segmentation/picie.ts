import * as tf from '@tensorflow/tfjs'
import { yieldToEventLoop } from '../../engine/eventLoopTurn'
import { splitMetrics } from '../../eval/segmentationScores'
import { createSeededRandom } from '../../engine/seededRandom'
import { randomStreamState, restoredRandomStream } from '../../engine/randomStreamState'
import { optimizerSettings, scheduledLr } from '../../engine/optimizerConfig'
import { createOptimizer } from '../../engine/trainingOptimizer'
import { throwIfCancelled, type Method } from '../method'
import { segmentationMethod } from './segmentationMethod'
import { restoreTraining, trainingState } from '../trainingCheckpoint'
import { picieBatches } from './picieBatches'
import { clusterViews, clusterWeights, freshCentroids, type ClusteringSetup } from './picieClustering'
import { picieDefaults } from './picieDefaults'
import { predictClasses, scoreClusters } from './picieEvaluation'
import { picieClassifierState, readPicieClassifier } from './picieModel'
import { viewFeatures } from './picieFeatures'
import { picieStep, type PicieStepView } from './picieStep'
import { planSegmentationMicroBatches } from './segmentationMemoryPlan'
import { drawViewParams, PICIE_VIEW_DEFAULTS } from './picieViews'
import { batchImages, concatSets, readBatches, type SegmentationData } from './segmentationData'
import { buildNet, type NetFactory } from './segmentationNet'

/**
 * PiCIE (Cho et al. 2021), unsupervised: pixel features from a ResNet FPN, clustered each epoch by
 * mini-batch k-means per view (picieClustering.ts); the net then learns to predict its own cluster
 * labels within and across views (picieLoss.ts), invariant to colour changes and equivariant to crops
 * and flips (picieViews.ts). No masks are read for training; evaluation maps clusters to classes by
 * Hungarian matching on the validation split, then scores the test split (picieEvaluation.ts).
 */
export function picieMethod(nets: { backbone: NetFactory }): Method<SegmentationData> {
  return segmentationMethod(
    'picie',
    picieDefaults,
    async (ctx, h, owned) => {
      const { data } = ctx
      if (data.val.ids.length === 0) {
        throw new Error(
          'PiCIE maps clusters to classes on the validation split, which holds no images with masks',
        )
      }
      const settings = optimizerSettings(h)
      // K follows the class count (background included) unless set: PiCIE's evaluation pairs each cluster
      // with one class, so a project with tumour, stroma and necrosis clusters into 4. Binary: K = 2.
      const k = ctx.hyper?.k === undefined ? data.classes : Number(h.k)
      const epochs = Number(h.epochs)
      const batchSize = Number(h.batchSize)
      const viewOptions = {
        ...PICIE_VIEW_DEFAULTS,
        jitter: Number(h.jitter),
        hue: Number(h.hue),
        minScale: Number(h.minScale),
      }
      const weighting = h.clusterWeighting
      if (weighting !== 'frequency' && weighting !== 'inverse' && weighting !== 'none') {
        throw new Error(`clusterWeighting must be frequency, inverse or none, got '${weighting}'`)
      }
      const backbone = String(h.backbone)
      if (!['resnet18', 'resnet34', 'tiny'].includes(backbone))
        throw new Error(`backbone must be resnet18, resnet34 or tiny, got '${backbone}'`)
      const size = data.size
      // Views, k-means starts and shuffles draw from one stream, saved with each checkpoint so a resumed run
      // draws exactly what the uninterrupted one would.
      let random = createSeededRandom(ctx.seed)
      const stream = { next: () => random.next(), shuffle: <T>(items: readonly T[]) => random.shuffle(items) }
      // Every training image, labelled or not: PiCIE reads no masks.
      // Read batch by batch: never one array of the whole pool (V8 aborts past ~125 M elements).
      const pool = concatSets(data.labelled, data.unlabelled)
      const n = pool.ids.length
      const net = owned.keep(
        await buildNet(
          nets.backbone,
          { preset: ctx.preset, size, classes: data.classes, seed: ctx.seed, backbone },
          ctx.imagenetWeights,
        ),
      )
      const optimizer = owned.scratch(createOptimizer(settings))
      net.train(false)
      const probe = tf.tidy(() => net.forward(tf.zeros([1, size, size, 3])))
      net.train(true)
      const [, featureSide, featureSideW, dim] = probe.shape
      probe.dispose()
      if (featureSide !== featureSideW || size % featureSide !== 0) {
        throw new Error(
          `PiCIE needs a square feature map dividing the image: got ${featureSide}×${featureSideW} for ${size}`,
        )
      }
      const cell = size / featureSide
      // Training steps in micro-batches when a batch does not fit the backend (segmentationMemoryPlan.ts);
      // k-means and labelling forwards (no gradients) run in parts of the same size.
      const memory = await planSegmentationMicroBatches(
        [net],
        size,
        batchSize,
        settings,
        Number(h.microBatches),
        ctx.machine,
        // Both views of one image as the step runs them, transforms included, on a fixed draw (not the
        // run's stream, which stays as the uninterrupted run draws it).
        (x) => {
          const probe = [drawViewParams(featureSide, viewOptions, createSeededRandom(0).next)]
          return [viewFeatures(net, x, probe, 1, cell), viewFeatures(net, x, probe, 2, cell)]
        },
      )
      ctx.log?.(`Training step: ${memory.summary}`)
      const setup: ClusteringSetup = {
        forwardImages: Math.ceil(batchSize / memory.microBatches),
        net,
        pool,
        size,
        featureSide,
        dim,
        k,
        clusterBatchSize: Number(h.clusterBatchSize),
        initBatches: Number(h.initBatches),
        updateBatches: Number(h.updateBatches),
        iterations: Number(h.kmeansIterations),
        maxPointsPerCluster: Number(h.kmeansPointsPerCluster),
        random: stream,
        signal: ctx.signal,
      }
      let lastCentroids: Float32Array | null = null
      let kmeansLoss = NaN
      const steps = picieBatches(n, batchSize).length
      let firstEpoch = 0
      const checkpointed = {
        nets: { backbone: net },
        optimizers: [{ prefix: 'optimizer.backbone.', optimizer, variables: () => net.parameters() }],
      }
      const resumed = await ctx.checkpoint?.restore()
      // Resumed after the final checkpoint: its classifier is the one this run scored and predicts with.
      const kept = resumed ? readPicieClassifier(resumed.state) : null
      if (resumed) {
        restoreTraining(checkpointed, resumed.state)
        random = restoredRandomStream('picie', resumed.state) ?? random
        firstEpoch = resumed.epoch
      }
      for (let epoch = firstEpoch; epoch < epochs; epoch++) {
        const params = Array.from({ length: n }, () => drawViewParams(featureSide, viewOptions, stream.next))
        // 1–2. Centroids and pixel labels per view, and the balanced CE weights (PiCIE compute_labels).
        const clusters = await clusterViews(setup, params)
        kmeansLoss = clusters.kmeansLoss
        lastCentroids = clusters.centroids[0]
        // 3. Train the backbone to predict both views' labels within and across views.
        const centroids = clusters.centroids.map((c) => tf.tensor2d(c, [k, dim]))
        const weightValues = clusters.counts.map((c) => clusterWeights(c, weighting))
        const weights = weightValues.map((w) => tf.tensor1d(w))
        const batchView = (v: number, idx: number[]): PicieStepView => ({
          centroids: centroids[v],
          weights: weights[v],
          weightValues: weightValues[v],
          labels: idx.map((i) => clusters.labels[v][i]),
        })
        try {
          net.train(true)
          const plan = picieBatches(n, batchSize, stream.shuffle([...Array(n).keys()]))
          let step = 0
          for await (const b of readBatches(pool, plan)) {
            throwIfCancelled(ctx.signal)
            const idx = plan[step]
            const started = Date.now()
            const lr = scheduledLr(settings, epoch * steps + step, epochs * steps, epoch)
            const x = batchImages(b, size)
            const losses = picieStep(
              optimizer,
              net,
              x,
              idx.map((i) => params[i]),
              [batchView(0, idx), batchView(1, idx)],
              cell,
              memory.microBatches,
              lr,
            )
            x.dispose()
            ctx.onProgress?.({
              epoch: epoch + 1,
              epochs,
              step: step + 1,
              steps,
              losses: { ...losses, kmeans: kmeansLoss },
              lr,
              imagesPerSecond: idx.length / Math.max(1e-3, (Date.now() - started) / 1000),
            })
            step++
            await yieldToEventLoop()
          }
        } finally {
          tf.dispose([...centroids, ...weights])
        }
        await ctx.checkpoint?.save(epoch + 1, {
          ...trainingState(checkpointed),
          ...randomStreamState('picie', random),
        })
      }
      // The classifier the test split is scored with: fresh clusters (the fork's --repeats 1), or the last
      // epoch's view-1 centroids (upstream's default) — re-clustered when resumed after the last epoch.
      if (kept) {
        lastCentroids = kept.centroids
        kmeansLoss = kept.kmeansLoss
      } else if (h.freshClusters || !lastCentroids) {
        const fresh = await freshCentroids(setup)
        lastCentroids = fresh.centroids
        if (h.freshClusters) kmeansLoss = fresh.loss
      }
      // Reported at the checkpoint's float32 precision, so a run resumed after its last checkpoint reports
      // the same figure.
      kmeansLoss = Math.fround(kmeansLoss)
      const classifier = owned.keep(tf.tensor2d(lastCentroids, [k, dim]))
      const scores = await scoreClusters(net, classifier, data, k)
      // The last checkpoint holds the whole model: backbone, centroids and their classes (picieModel.ts),
      // so the labelling loop can rebuild it to predict new images.
      await ctx.checkpoint?.save(epochs, {
        ...trainingState(checkpointed),
        ...randomStreamState('picie', random),
        ...picieClassifierState({
          centroids: lastCentroids,
          k,
          dim,
          mapping: scores.mapping,
          classes: data.classes,
          kmeansLoss,
        }),
      })
      return {
        hyper: { ...h, k, clusterToClass: scores.mapping.join(',') },
        metrics: {
          ...splitMetrics('test', scores.test, data.classNames),
          ...splitMetrics('val', scores.val, data.classNames),
          kmeansLoss,
        },
        predict: (images) => predictClasses(net, classifier, scores.mapping, data.classes, images),
        dispose: () => {
          net.dispose()
          classifier.dispose()
        },
      }
    },
    false,
  )
}
