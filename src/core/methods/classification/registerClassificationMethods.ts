import { registerMethod, type RegisteredMethod, type RunConfig } from '../registry'
import { resolveHyper, type Method } from '../method'
import type { ClassificationData } from './classificationData'
import { loadClassificationData } from './imageLevelInput'
import { cassClassifier } from './cassClassifier'
import { dinoClassifier } from './dinoClassifier'
import { supervisedClassifier } from './supervisedClassifier'

/**
 * Makes the classification methods available to the job runner and the CLI: each is fed its run's split
 * and labelled selection at its backbone's input size, images whole (tiled slides tile by tile).
 */
export function classificationEntry(method: Method<ClassificationData>): RegisteredMethod {
  const input = (config: RunConfig) => {
    const h = resolveHyper(method.defaults(config.preset), config.overrides, method.name)
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

export function registerClassificationMethods(): void {
  registerMethod('classification', 'supervised', classificationEntry(supervisedClassifier()))
  registerMethod('classification', 'dino', classificationEntry(dinoClassifier()))
  registerMethod('classification', 'cass', classificationEntry(cassClassifier()))
}

registerClassificationMethods()
