import { BACKBONES, type ClassifierBackbone } from '../../../shared/classifierBackbones'
import type { CatalogueEntry, MethodRunner, RunConfig } from '../catalogueEntry'
import { runHyper, type Hyper, type Method } from '../method'
import type { ClassificationData } from './classificationData'
import { loadClassificationData } from './imageLevelInput'
import { classificationTrainers } from '../trainableMethods'

/**
 * How a run feeds a classification method: its split and labelled selection at its backbone's input
 * size, images whole (tiled slides tile by tile).
 */
export function classificationRunner(method: Method<ClassificationData>): MethodRunner {
  const input = (config: RunConfig) => {
    const h = runHyper(method, config.preset, config.overrides)
    return { size: Number(h.imageSize), redChannel: Boolean(h.redChannel) }
  }
  return {
    method: method as Method<unknown>,
    loadData: (project, config) =>
      loadClassificationData(project, {
        splitId: config.splitId,
        labelFractionId: config.labelFractionId,
        ...input(config),
      }),
  }
}

/** A classifier run's backbone as people read it: its `backbone` hyperparameter's label. */
function classifierBackbone(_preset: string, hyper: Hyper): string {
  const b = String(hyper.backbone)
  return BACKBONES[b as ClassifierBackbone]?.label ?? b
}

/** The classification methods this version trains (see catalogueEntry.ts for adding one). */
export const classificationMethods: readonly CatalogueEntry[] = [
  {
    id: 'supervised',
    task: 'classification',
    name: 'Supervised',
    kind: 'supervised',
    description: 'ImageNet-initialised ResNet-50 or ViT, fine-tuned on the labelled images.',
    usesLabels: true,
    backbone: classifierBackbone,
    runner: classificationRunner(classificationTrainers.supervised),
  },
  {
    id: 'dino',
    task: 'classification',
    name: 'DINO',
    kind: 'self-supervised',
    description:
      'Self-distillation between a student and an EMA teacher on multi-crop views, then fine-tuning.',
    usesLabels: true,
    backbone: classifierBackbone,
    runner: classificationRunner(classificationTrainers.dino),
  },
  {
    id: 'cass',
    task: 'classification',
    name: 'CASS',
    kind: 'self-supervised',
    description: 'A CNN and a Transformer pull their outputs together on the same view, then fine-tuning.',
    usesLabels: true,
    backbone: classifierBackbone,
    runner: classificationRunner(classificationTrainers.cass),
  },
]
