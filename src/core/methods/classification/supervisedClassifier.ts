import { resolveHyper, type Hyper, type Method, type Preset, type TrainContext } from '../method'
import { startClassifierRun } from './classifierRun'
import { BACKBONES, checkBackbone } from './classifierNet'
import type { ClassificationData } from './classificationData'
import { fineTune, fineTuneDefaults } from './fineTune'

/**
 * The supervised ImageNet-transfer baseline (paper §3.1, DEDL's classifier): ResNet-50 or ViT-B/16
 * initialised from the user's imported ImageNet weights when present — otherwise random, and the run log
 * says so — fine-tuned on the labelled fraction only. Unlabelled images are ignored.
 */

/**
 * What every classification method's data loading reads: the backbone and its input side (the paper: 224;
 * the small presets 32) and the paper's red-channel normalisation (Dermofit, ISIC-2017 only).
 */
export function classificationInputDefaults(preset: Preset): Hyper {
  const backbone = preset === 'paper' ? 'resnet50' : 'resnet_tiny'
  return { backbone, imageSize: BACKBONES[backbone].imageSize, redChannel: false }
}

export function supervisedClassifierDefaults(preset: Preset): Hyper {
  return { ...classificationInputDefaults(preset), ...fineTuneDefaults(preset) }
}

export function supervisedClassifier(): Method<ClassificationData> {
  return {
    task: 'classification',
    name: 'supervised',
    defaults: supervisedClassifierDefaults,
    async train(ctx: TrainContext<ClassificationData>) {
      const h = resolveHyper(supervisedClassifierDefaults(ctx.preset), ctx.hyper, 'supervised')
      const backbone = checkBackbone(String(h.backbone))
      const { notes, log } = startClassifierRun(ctx, h.imageSize)
      const r = await fineTune({
        data: ctx.data,
        backbone,
        start: { kind: 'imagenet', lookup: ctx.imagenetWeights },
        hyper: h,
        seed: ctx.seed,
        onProgress: ctx.onProgress,
        signal: ctx.signal,
        checkpoint: ctx.checkpoint,
        log,
      })
      return {
        hyper: h,
        metrics: { ...r.metrics, imagenetStart: r.start.kind === 'imagenet' ? 1 : 0 },
        predict: (images) => r.predict(images),
        dispose: () => r.dispose(),
        notes,
      }
    },
  }
}
