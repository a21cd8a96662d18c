import type * as tf from '@tensorflow/tfjs'
import { registerMethod, type RegisteredMethod, type RunConfig } from '../registry'
import { resolveHyper, type Method } from '../method'
import { crossTeachingMethod } from './crossTeaching'
import { loadSegmentationData, type ProjectSegmentationData } from './dataset'
import { supervisedMethod } from './supervised'
import { picieFpnNet, swinUnetNet, unetNet } from './segmentationNets'
import { picieMethod } from './picie'
import { storeRunPredictions } from './slidePrediction'
import type { SegmentationData } from './segmentationData'

/**
 * Makes the segmentation methods available to the job runner and the CLI: how each is fed from a
 * project (the run's split and labelled selection at the method's input size) and what a finished run
 * leaves behind (a predicted mask per image, for the viewer).
 */
function entry(method: Method<SegmentationData>): RegisteredMethod {
  const input = (config: RunConfig) => {
    const h = resolveHyper(method.defaults(config.preset), config.overrides, method.name)
    return { size: Number(h.imageSize), redChannel: Boolean(h.redChannel) }
  }
  return {
    method: method as Method<unknown>,
    loadData: (project, config) =>
      loadSegmentationData(project, {
        splitId: config.splitId,
        labelFractionId: config.labelFractionId,
        ...input(config),
      }),
    afterTraining: async (project, runId, config, data, result) => {
      const { classes } = data as ProjectSegmentationData
      // Segmentation methods predict per pixel: [N, H, W, C].
      const perPixel = (images: tf.Tensor4D) => result.predict(images) as tf.Tensor4D
      await storeRunPredictions(project, runId, perPixel, { ...input(config), classes })
    },
  }
}

export function registerSegmentationMethods(): void {
  registerMethod('segmentation', 'supervised', entry(supervisedMethod({ cnn: unetNet })))
  registerMethod(
    'segmentation',
    'cross-teaching',
    entry(crossTeachingMethod({ cnn: unetNet, swin: swinUnetNet })),
  )
  registerMethod('segmentation', 'picie', entry(picieMethod({ backbone: picieFpnNet })))
}

registerSegmentationMethods()
