import {
  resolveHyper,
  type Hyper,
  type Method,
  type Preset,
  type TrainContext,
  type TrainResult,
} from '../method'
import { withTrainingResources, type TrainingResources } from '../trainingResources'
import { checkSegmentationData, type SegmentationData } from './segmentationData'

/**
 * A segmentation method (supervised, cross teaching, PiCIE): before its training runs, the data is checked
 * (labelled images required unless `needsLabels` is false) and the run's overrides resolved against the
 * method's own defaults under its name; what it builds is freed as trainingResources.ts says.
 */
export function segmentationMethod(
  name: string,
  defaults: (preset: Preset) => Hyper,
  train: (ctx: TrainContext<SegmentationData>, h: Hyper, owned: TrainingResources) => Promise<TrainResult>,
  needsLabels = true,
): Method<SegmentationData> {
  return {
    task: 'segmentation',
    name,
    defaults,
    async train(ctx) {
      checkSegmentationData(ctx.data, needsLabels)
      const h = resolveHyper(defaults(ctx.preset), ctx.hyper, name)
      return withTrainingResources((owned) => train(ctx, h, owned))
    },
  }
}
