import { parseClassMetric } from '../../../shared/classMetric'
import { evaluationMetric } from '../../../shared/evaluationMetrics'
import { hasTrainingTerm, trainingTermLabel } from '../../../shared/trainingTerms'

const WORDS: Record<string, string> = { iou: 'IoU', dice: 'Dice', f1: 'F1', auc: 'AUC', lr: 'lr', ce: 'CE' }

const subsetWords = (subset: string) => (subset === 'swinTest' ? 'Swin-UNet test' : subset)

/**
 * A stored name as people read it: an evaluation metric by its exact name (testIou → "test IoU
 * (dataset-level)", testF1Macro → "test F1 (macro)"), a per-class score with its mask class (testIou:tumour →
 * "test IoU of tumour (dataset-level)"), a training term by its method's name for it
 * (shared/trainingTerms.ts), anything else split into words (val_loss → "val loss"). `multiClass`: the
 * run's project has several mask classes, so its headline IoU and Dice are means over them.
 */
export function metricLabel(name: string, multiClass = false): string {
  const perClass = parseClassMetric(name)
  const classScore = perClass && /^(test|val|swinTest)(Iou|Dice)$/.exec(perClass.metric)
  if (perClass && classScore)
    return `${subsetWords(classScore[1])} ${classScore[2] === 'Iou' ? 'IoU' : 'Dice'} of ${perClass.className} (dataset-level)`
  const metric = evaluationMetric(name)
  if (metric) {
    const headline = metric.task === 'segmentation' && /(Iou|Dice)$/.test(name)
    return multiClass && headline
      ? metric.label.replace('(dataset-level)', '(dataset-level, mean over mask classes)')
      : metric.label
  }
  if (hasTrainingTerm(name)) return trainingTermLabel(name)
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .filter(Boolean)
  return words.map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase()).join(' ')
}
