import * as tf from '@tensorflow/tfjs'
import {
  applyClusterMapping,
  clusterClassHistogram,
  mapClustersToClasses,
} from '../../eval/clusterToClassMapping'
import { splitMetrics, splitScorer } from '../../eval/segmentationScores'
import { resizeBilinear } from '../../models/nn/resize'
import { createSeededRandom } from '../../engine/seededRandom'
import { randomStreamState, restoredRandomStream } from '../../engine/randomStreamState'
import {
  resolveHyper,
  throwIfCancelled,
  type Hyper,
  type Method,
  type Preset,
  type TrainContext,
} from '../method'
import { clusterLogits, picieLoss } from './picieLoss'
import { assignClusters, MiniBatchKMeans } from './miniBatchKMeans'
import { captureNetState, restoreNetState } from './netState'
import { applyGeometric, applyPhotometric, drawViewParams, type PicieViewParams } from './picieViews'
import {
  batchImages,
  checkSegmentationData,
  concatSets,
  readBatches,
  type SegmentationData,
  type SegmentationSet,
} from './segmentationData'
import type { NetFactory, SegmentationNet } from './segmentationNet'
import { optimizerSettings, scheduledLr } from '../../engine/optimizerConfig'
import { createOptimizer } from '../../engine/trainingOptimizer'
import { inputDefaults } from './inputDefaults'

/**
 * PiCIE (Cho et al. 2021), unsupervised: pixel features from a ResNet FPN, clustered each epoch by
 * mini-batch k-means per view; the net then learns to predict its own cluster labels, invariant to
 * colour changes and equivariant to crops and flips. No masks are read for training; evaluation maps
 * clusters to classes by Hungarian matching on the validation split, then scores the test split.
 */

export function picieDefaults(preset: Preset): Hyper {
  return {
    ...inputDefaults(preset),
    epochs: 10,
    // Clusters; a run without it set uses the data's class count (background included), 2 when binary.
    k: 2,
    batchSize: 8,
    clusterBatchSize: 8,
    // PiCIE: num_init_batches / num_batches / kmeans_n_iter (METHODS.md: 20 each for S4MI's run).
    initBatches: 20,
    updateBatches: 20,
    kmeansIterations: 20,
    // The paper moved PiCIE to SGD + StepLR because Adam collapsed to one cluster.
    optimizer: 'sgd',
    lr: preset === 'paper' ? 1e-4 : 0.05,
    momentum: 0.9,
    weightDecay: 5e-4,
    schedule: 'step',
    cosineTMax: 0,
    etaMin: 0,
    stepSize: 5,
    gamma: 0.1,
    minScale: 0.5,
    jitter: 0.3,
    // PiCIE's code weights each cluster by its pixel share (janghyuncho/PiCIE issue #28 asks why not the
    // inverse); 'inverse' balances instead, 'none' is PiCIE's --no_balance.
    clusterWeighting: 'frequency',
  }
}

/** Cross-entropy class weights from cluster pixel counts (empty clusters get weight 0 under 'inverse'). */
export function clusterWeights(counts: Float64Array, weighting: 'frequency' | 'inverse' | 'none'): number[] {
  const total = counts.reduce((x, y) => x + y, 0)
  if (weighting === 'none') return Array.from(counts, () => 1)
  if (weighting === 'frequency') return Array.from(counts, (c) => c / total)
  const inverse = Array.from(counts, (c) => (c > 0 ? total / c : 0))
  const sum = inverse.reduce((x, y) => x + y, 0)
  return inverse.map((w) => w / sum)
}

function normalizeFeatures(f: tf.Tensor): tf.Tensor4D {
  // torch F.normalize(p=2, dim=channels, eps=1e-12)
  return tf.div(f, tf.maximum(tf.norm(f, 'euclidean', -1, true), 1e-12)) as tf.Tensor4D
}

/** View 1: transform the image, then the net. View 2: the net, then transform its features. */
function viewFeatures(
  net: SegmentationNet,
  images: tf.Tensor4D,
  params: PicieViewParams[],
  view: 1 | 2,
  cell: number,
): tf.Tensor4D {
  const n = images.shape[0]
  const one = (i: number) => images.slice([i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D
  if (view === 1) {
    const x = tf.concat(
      params.map((p, i) => applyGeometric(applyPhotometric(one(i), p.photo1), p.geometric, cell)),
    )
    return normalizeFeatures(net.forward(x))
  }
  const x = tf.concat(params.map((p, i) => applyPhotometric(one(i), p.photo2)))
  const f = net.forward(x) as tf.Tensor4D
  const parts = Array.from({ length: n }, (_, i) =>
    applyGeometric(f.slice([i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D, params[i].geometric, 1),
  )
  return normalizeFeatures(tf.concat(parts))
}

/** Batches in order; a trailing single image joins the previous batch (BatchNorm cannot train on one 1×1 map). */
function batchesOf(n: number, size: number, order?: number[]): number[][] {
  const ids = order ?? Array.from({ length: n }, (_, i) => i)
  const out: number[][] = []
  for (let s = 0; s < n; s += size) out.push(ids.slice(s, s + size))
  if (out.length > 1 && out[out.length - 1].length === 1) out[out.length - 2].push(...out.pop()!)
  return out
}

export function picieMethod(nets: { backbone: NetFactory }): Method<SegmentationData> {
  return {
    task: 'segmentation',
    name: 'picie',
    defaults: picieDefaults,
    async train(ctx: TrainContext<SegmentationData>) {
      const { data } = ctx
      checkSegmentationData(data, false)
      if (data.val.ids.length === 0) {
        throw new Error(
          'PiCIE maps clusters to classes on the validation split, which holds no images with masks',
        )
      }
      const h = resolveHyper(picieDefaults(ctx.preset), ctx.hyper, 'picie')
      const settings = optimizerSettings(h)
      // K follows the class count (background included) unless set: PiCIE's evaluation pairs each cluster
      // with one class, so a project with tumour, stroma and necrosis clusters into 4. Binary: K = 2.
      const k = ctx.hyper?.k === undefined ? data.classes : Number(h.k)
      const epochs = Number(h.epochs)
      const batchSize = Number(h.batchSize)
      const viewOptions = {
        jitter: Number(h.jitter),
        jitterProbability: 0.8,
        grayscaleProbability: 0.2,
        blurProbability: 0.5,
        minScale: Number(h.minScale),
        flipProbability: 0.5,
      }
      const weighting = h.clusterWeighting
      if (weighting !== 'frequency' && weighting !== 'inverse' && weighting !== 'none') {
        throw new Error(`clusterWeighting must be frequency, inverse or none, got '${weighting}'`)
      }
      const size = data.size
      // Views, k-means starts and shuffles draw from one stream, saved with each checkpoint so a resumed run
      // draws exactly what the uninterrupted one would.
      let random = createSeededRandom(ctx.seed)
      const next = () => random.next()
      // Every training image, labelled or not: PiCIE reads no masks.
      // Read batch by batch: never one array of the whole pool (V8 aborts past ~125 M elements).
      const pool = concatSets(data.labelled, data.unlabelled)
      const n = pool.ids.length
      const net = nets.backbone({
        preset: ctx.preset,
        size: data.size,
        classes: data.classes,
        seed: ctx.seed,
      })
      const optimizer = createOptimizer(settings)
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
      let centroids1: tf.Tensor2D | null = null
      let kmeansLoss = NaN
      const steps = batchesOf(n, batchSize).length
      let firstEpoch = 0
      try {
        const resumed = await ctx.checkpoint?.restore()
        if (resumed) {
          restoreNetState({ backbone: net }, resumed.state)
          optimizer.importState(net.parameters(), 'backbone', resumed.state)
          random = restoredRandomStream('picie', resumed.state) ?? random
          firstEpoch = resumed.epoch
        }
        for (let epoch = firstEpoch; epoch < epochs; epoch++) {
          const params = Array.from({ length: n }, () => drawViewParams(featureSide, viewOptions, next))
          // 1. Centroids per view (eval mode, as PiCIE's run_mini_batch_kmeans).
          net.train(false)
          const centroids: Float32Array[] = []
          const kmLosses: number[] = []
          for (const view of [1, 2] as const) {
            const km = new MiniBatchKMeans({
              k,
              dim,
              initBatches: Number(h.initBatches),
              updateBatches: Number(h.updateBatches),
              iterations: Number(h.kmeansIterations),
              random: next,
            })
            const plan = batchesOf(n, Number(h.clusterBatchSize), random.shuffle([...Array(n).keys()]))
            let at = 0
            for await (const b of readBatches(pool, plan)) {
              throwIfCancelled(ctx.signal)
              const idx = plan[at++]
              const f = tf.tidy(() =>
                viewFeatures(
                  net,
                  batchImages(b, size),
                  idx.map((i) => params[i]),
                  view,
                  cell,
                ),
              )
              km.addBatch(f.dataSync() as Float32Array)
              f.dispose()
            }
            const r = km.finish()
            centroids.push(r.centroids)
            kmLosses.push(r.loss)
          }
          kmeansLoss = (kmLosses[0] + kmLosses[1]) / 2
          // 2. Pixel labels per view and the frequency weights (PiCIE compute_labels).
          // Uint16 per feature cell: a 56² map is 6 kB an image and view, small beside the pixels never held.
          const labels: Uint16Array[][] = [[], []]
          const weights: tf.Tensor1D[] = []
          for (const view of [1, 2] as const) {
            const counts = new Float64Array(k)
            const plan = batchesOf(n, Number(h.clusterBatchSize))
            let at = 0
            for await (const b of readBatches(pool, plan)) {
              throwIfCancelled(ctx.signal)
              const idx = plan[at++]
              const f = tf.tidy(() =>
                viewFeatures(
                  net,
                  batchImages(b, size),
                  idx.map((i) => params[i]),
                  view,
                  cell,
                ),
              )
              const a = assignClusters(f.dataSync() as Float32Array, dim, centroids[view - 1])
              f.dispose()
              const per = featureSide * featureSide
              idx.forEach(
                (i, j) => (labels[view - 1][i] = Uint16Array.from(a.labels.subarray(j * per, (j + 1) * per))),
              )
              for (let c = 0; c < k; c++) counts[c] += a.counts[c]
            }
            weights.push(tf.tensor1d(clusterWeights(counts, weighting)))
          }
          centroids1?.dispose()
          centroids1 = tf.tensor2d(centroids[0], [k, dim])
          const centroids2 = tf.tensor2d(centroids[1], [k, dim])
          // 3. Train the backbone to predict both views' labels within and across views.
          net.train(true)
          const order = random.shuffle([...Array(n).keys()])
          const plan = batchesOf(n, batchSize, order)
          let step = 0
          for await (const b of readBatches(pool, plan)) {
            throwIfCancelled(ctx.signal)
            const idx = plan[step]
            const started = Date.now()
            const lr = scheduledLr(settings, epoch * steps + step, epochs * steps, epoch)
            const x = batchImages(b, size)
            const batchParams = idx.map((i) => params[i])
            const batchLabels = (view: 0 | 1) => {
              const per = featureSide * featureSide
              const out = new Int32Array(idx.length * per)
              idx.forEach((i, j) => out.set(labels[view][i], j * per))
              return tf.tensor1d(out, 'int32')
            }
            const label1 = batchLabels(0)
            const label2 = batchLabels(1)
            const kept: tf.Scalar[] = []
            const c1 = centroids1
            const total = optimizer.minimize(
              () => {
                const t = picieLoss(
                  {
                    features: viewFeatures(net, x, batchParams, 1, cell),
                    centroids: c1,
                    labels: label1,
                    weights: weights[0],
                  },
                  {
                    features: viewFeatures(net, x, batchParams, 2, cell),
                    centroids: centroids2,
                    labels: label2,
                    weights: weights[1],
                  },
                )
                kept.push(tf.keep(t.across), tf.keep(t.within))
                return t.total
              },
              net.parameters(),
              lr,
            )
            const [across, within] = kept.map((s) => s.dataSync()[0])
            tf.dispose([x, label1, label2, ...kept])
            ctx.onProgress?.({
              epoch: epoch + 1,
              epochs,
              step: step + 1,
              steps,
              losses: { total, within, across, kmeans: kmeansLoss },
              lr,
              imagesPerSecond: idx.length / Math.max(1e-3, (Date.now() - started) / 1000),
            })
            step++
            await new Promise((r) => setImmediate(r))
          }
          centroids2.dispose()
          tf.dispose(weights)
          await ctx.checkpoint?.save(epoch + 1, {
            ...captureNetState({ backbone: net }),
            ...optimizer.exportState(net.parameters(), 'backbone'),
            ...randomStreamState('picie', random),
          })
        }
        if (!centroids1) {
          // Resumed after the last epoch: recluster once (view-free) so there is a classifier to evaluate.
          net.train(false)
          const km = new MiniBatchKMeans({
            k,
            dim,
            initBatches: 1 << 30,
            updateBatches: 1,
            iterations: 20,
            random: next,
          })
          for await (const b of readBatches(pool, batchesOf(n, Number(h.clusterBatchSize)))) {
            const f = tf.tidy(() => normalizeFeatures(net.forward(batchImages(b, size))))
            km.addBatch(f.dataSync() as Float32Array)
            f.dispose()
          }
          centroids1 = tf.tensor2d(km.finish().centroids, [k, dim])
        }
        const classifier = centroids1
        /** Cluster maps of a set, batch by batch, with each batch's masks (the set is never held whole). */
        const eachClusterMap = async (
          set: SegmentationSet,
          name: string,
          use: (clusters: Uint8Array, truth: Uint8Array) => void,
        ) => {
          net.train(false)
          for await (const b of readBatches(set, batchesOf(set.ids.length, 8))) {
            if (!b.masks) throw new Error(`The ${name} images carry no masks`)
            const a = tf.tidy(() => {
              const f = normalizeFeatures(net.forward(batchImages(b, size)))
              return tf.argMax(resizeBilinear(clusterLogits(f, classifier), [size, size]), -1)
            })
            const flat = a.dataSync()
            a.dispose()
            for (let j = 0; j < b.count; j++) {
              const at = [j * size * size, (j + 1) * size * size]
              use(Uint8Array.from(flat.subarray(at[0], at[1])), b.masks.subarray(at[0], at[1]))
            }
          }
        }
        const histogram = Array.from({ length: k }, () => new Array<number>(data.classes).fill(0))
        await eachClusterMap(data.val, 'val', (clusters, truth) => {
          const h1 = clusterClassHistogram([clusters], [truth], k, data.classes)
          h1.forEach((row, c) => row.forEach((v, t) => (histogram[c][t] += v)))
        })
        const mapping = mapClustersToClasses(histogram)
        const scoreMapped = async (set: SegmentationSet, name: string) => {
          const scorer = splitScorer(data.classes)
          await eachClusterMap(set, name, (clusters, truth) =>
            scorer.add(applyClusterMapping(clusters, mapping), truth),
          )
          return scorer.result()
        }
        const val = await scoreMapped(data.val, 'val')
        const test = await scoreMapped(data.test, 'test')
        return {
          hyper: { ...h, k, clusterToClass: mapping.join(',') },
          metrics: {
            ...splitMetrics('test', test, data.classNames),
            ...splitMetrics('val', val, data.classNames),
            kmeansLoss,
          },
          predict: (images) =>
            tf.tidy(() => {
              net.train(false)
              const f = normalizeFeatures(net.forward(images))
              const p = tf.softmax(
                resizeBilinear(clusterLogits(f, classifier), [images.shape[1], images.shape[2]]),
              )
              // Class probability = summed probability of the clusters mapped to it.
              const toClass = tf.oneHot(tf.tensor1d(mapping, 'int32'), data.classes).toFloat()
              const [b, hh, ww] = p.shape
              return tf.reshape(tf.matMul(tf.reshape(p, [-1, k]), toClass), [
                b,
                hh,
                ww,
                data.classes,
              ]) as tf.Tensor4D
            }),
          dispose: () => {
            net.dispose()
            classifier.dispose()
          },
        }
      } catch (e) {
        net.dispose()
        centroids1?.dispose()
        throw e
      } finally {
        optimizer.dispose()
      }
    },
  }
}
