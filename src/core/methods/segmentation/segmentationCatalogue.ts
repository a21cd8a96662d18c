import type * as tf from '@tensorflow/tfjs'
import type { TrainState } from '../../engine/trainState'
import type { Project } from '../../store/project'
import type { CatalogueEntry, MethodRunner, RunConfig } from '../catalogueEntry'
import { runHyper, type Method } from '../method'
import { listImages } from '../../store/images'
import { redChannelApplies } from './inputDefaults'
import { loadSegmentationData, type ProjectSegmentationData } from './dataset'
import type { SegmentationData } from './segmentationData'
import { predictProbabilities, type NetFactory } from './segmentationNet'
import { restoreNetState } from '../netState'
import { picieFpnNet, swinUnetNet, unetNet } from './segmentationNets'
import { segmentationTrainers } from '../trainableMethods'
import { storeRunPredictions } from './slidePrediction'
import { outputClasses, restoreSegmenter } from './restoredSegmenter'
import { restorePicie } from './picieModel'

/**
 * How a run feeds a segmentation method from a project (the run's split and labelled set at the method's
 * input size) and what a finished run leaves behind (a predicted mask per image, for the viewer).
 */
/** Weights under `prefix.` in a checkpoint, without it; the best-validation copy when the run kept one. */
function reportedNet(state: TrainState, prefix: string): TrainState {
  for (const head of [`best.${prefix}.`, `${prefix}.`]) {
    const part = Object.fromEntries(
      Object.entries(state)
        .filter(([k]) => k.startsWith(head))
        .map(([k, v]) => [k.slice(head.length), v]),
    )
    if (Object.keys(part).length) return part
  }
  throw new Error(`The run's checkpoint holds no '${prefix}' network`)
}

/**
 * @param reported the network a run reports and exports (the CNN U-Net for supervised and cross teaching,
 *   as the paper scores them), and how to build it; absent (PiCIE: its clusters are part of the model), the
 *   method's models are not exported.
 */
function segmentationRunner(
  method: Method<SegmentationData>,
  reported?: { prefix: string; net: NetFactory; name: string },
  partner?: { prefix: string; net: NetFactory; name: string },
): MethodRunner {
  const input = (project: Project, config: RunConfig) => segmentationInput(method, project, config)
  return {
    method: method as Method<unknown>,
    loadData: (project, config) =>
      loadSegmentationData(project, {
        splitId: config.splitId,
        labelFractionId: config.labelFractionId,
        ...input(project, config),
      }),
    afterTraining: async (project, runId, config, data, result, after = {}) => {
      const { classes } = data as ProjectSegmentationData
      const used = input(project, config)
      // The run records what its pixels went through, not only what was asked.
      if (result.hyper.redChannel !== used.redChannel) {
        result.hyper.redChannel = used.redChannel
        result.notes = [...(result.notes ?? []), 'Red-channel normalisation skipped: the images are not RGB']
      }
      // Segmentation methods predict per pixel: [N, H, W, C].
      const perPixel = (images: tf.Tensor4D) => result.predict(images) as tf.Tensor4D | Promise<tf.Tensor4D>
      await storeRunPredictions(
        project,
        runId,
        perPixel,
        { ...used, classes, signal: after.signal },
        after.progress,
      )
    },
    ...(reported && {
      modelWeights: (state: TrainState) => reportedNet(state, reported.prefix),
      // One network: its entropy; two (cross teaching): their disagreement, and the Swin-UNet's drop path.
      measures: partner ? ['entropy', 'disagreement', 'mc-dropout'] : ['entropy'],
      restoreSegmenter: (project: Project, config: RunConfig, state: TrainState) =>
        restoreSegmenter({
          preset: config.preset,
          seed: config.seed,
          ...input(project, config),
          reported: { ...reported, weights: reportedNet(state, reported.prefix) },
          ...(partner && { partner: { ...partner, weights: reportedNet(state, partner.prefix) } }),
        }),
      predictWithWeights: async (project: Project, runId: number, config: RunConfig, weights: TrainState) => {
        const { size, redChannel } = input(project, config)
        const classes = outputClasses(weights)
        const net = reported.net({ preset: config.preset, size, classes, seed: config.seed })
        try {
          restoreNetState({ [reported.prefix]: net }, prefixed(weights, reported.prefix))
          const perPixel = (images: tf.Tensor4D) => predictProbabilities(net, images)
          await storeRunPredictions(project, runId, perPixel, { size, redChannel, classes })
        } finally {
          net.dispose()
        }
      },
    }),
  }
}

/**
 * PiCIE's runner: a segmentation runner whose finished runs are rebuilt from their last checkpoint, where
 * the run keeps its centroids and their classes beside the backbone (picieModel.ts). Its models are not
 * exported (the model package holds one network's weights).
 */
function picieRunner(method: Method<SegmentationData>): MethodRunner {
  return {
    ...segmentationRunner(method),
    // One network and no dropout: entropy is the uncertainty it can measure.
    measures: ['entropy'],
    restoreSegmenter: (project: Project, config: RunConfig, state: TrainState) => {
      const h = runHyper(method, config.preset, config.overrides)
      return restorePicie({
        preset: config.preset,
        seed: config.seed,
        ...segmentationInput(method, project, config),
        backbone: String(h.backbone),
        net: picieFpnNet,
        state,
      })
    },
  }
}

/** The input a run's images get: the method's size, and the red-channel normalisation if asked and RGB. */
export function segmentationInput(
  method: Method<SegmentationData>,
  project: Project,
  config: Pick<RunConfig, 'preset' | 'overrides'>,
): { size: number; redChannel: boolean } {
  const h = runHyper(method, config.preset, config.overrides)
  return {
    size: Number(h.imageSize),
    redChannel: redChannelApplies(Boolean(h.redChannel), listImages(project)),
  }
}

/** What the choices this issue added mean, for the panel and `s4mi train --help`. */
const redChannelDoc =
  'Normalise the red channel (Thanh et al.), as the paper does for RGB lesion photographs; skipped when the images are not RGB'

function prefixed(weights: TrainState, prefix: string): TrainState {
  return Object.fromEntries(Object.entries(weights).map(([k, v]) => [`${prefix}.${k}`, v]))
}

/** The paper's segmentation methods (section 3.2 and Figure 5). */
export const segmentationMethods: readonly CatalogueEntry[] = [
  {
    id: 'supervised',
    task: 'segmentation',
    name: 'Supervised U-Net',
    kind: 'supervised',
    description: 'U-Net with a ResNet-34 encoder, trained on the labelled masks only.',
    usesLabels: true,
    source: 'S4MI paper, section 3.2 (the DEDL baseline)',
    hyperDocs: {
      loss: "class-weighted-ce: DEDL's cross-entropy weighted by the labelled masks' class frequencies; dice-ce: ½(Dice + cross-entropy)",
      redChannel: redChannelDoc,
    },
    backbone: (preset) => (preset === 'paper' ? 'ResNet-34 U-Net' : 'small U-Net (quick)'),
    runner: segmentationRunner(segmentationTrainers.supervised, {
      prefix: 'cnn',
      net: unetNet,
      name: 'U-Net',
    }),
  },
  {
    id: 'cross-teaching',
    task: 'segmentation',
    name: 'Cross teaching',
    kind: 'semi-supervised',
    description: 'A CNN U-Net and a Swin-UNet teach each other on unlabelled images with pseudo-labels.',
    usesLabels: true,
    source: 'S4MI paper, section 3.2; SSL4MIS train_cross_teaching_between_cnn_transformer_2D.py',
    hyperDocs: { redChannel: redChannelDoc },
    backbone: (preset) =>
      preset === 'paper' ? 'ResNet-34 U-Net + Swin-UNet' : 'small U-Net + small Swin-UNet (quick)',
    runner: segmentationRunner(
      segmentationTrainers['cross-teaching'],
      { prefix: 'cnn', net: unetNet, name: 'U-Net' },
      // Its Swin-UNet's last weights (only the CNN's best-validation state is kept): the disagreement partner.
      { prefix: 'swin', net: swinUnetNet, name: 'Swin-UNet' },
    ),
  },
  {
    id: 'picie',
    task: 'segmentation',
    name: 'PiCIE',
    kind: 'unsupervised',
    description: 'Clusters pixel features, invariant to colour and equivariant to geometry; no labels.',
    usesLabels: false,
    source: 'S4MI paper, section 3.2; PiCIE (Cho et al. 2021) reference code',
    hyperDocs: {
      backbone: 'resnet34 (the paper), resnet18 (original PiCIE) or tiny',
      epochs: "50 (the paper); the original PiCIE's script trains 10",
      freshClusters:
        "Score with clusters recomputed on the training images after the last epoch (the S4MI fork's scripts)",
      hue: 'Largest hue shift of the colour jitter, as a fraction of the colour circle',
      redChannel: redChannelDoc,
    },
    backbone: (preset) => (preset === 'paper' ? 'ResNet-18 FPN' : 'small FPN (quick)'),
    runner: picieRunner(segmentationTrainers.picie),
  },
]
