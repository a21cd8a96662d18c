import { parseClassMetric } from '../../../shared/classMetric'

const WORDS: Record<string, string> = { iou: 'IoU', dice: 'Dice', f1: 'F1', auc: 'AUC', lr: 'lr' }

/**
 * Segmentation scores say how they were computed: the headline (testIou) is the dataset-level score the
 * paper reports (TP, FP, FN summed over the split, as DEDL); the per-image mean and the PiCIE fork's
 * two-class mIoU are alternatives stored beside it.
 */
const SEGMENTATION_SCORE =
  /^(test|val|swinTest)(Iou|Dice|IouPerImage|DicePerImage|MeanIouTwoClass|MeanIouWithBackground)$/
const HOW: Record<string, string> = {
  Iou: 'IoU (dataset-level)',
  Dice: 'Dice (dataset-level)',
  IouPerImage: 'IoU (per-image mean)',
  DicePerImage: 'Dice (per-image mean)',
  MeanIouTwoClass: 'mIoU (background and foreground)',
  MeanIouWithBackground: 'mIoU (background and every mask class)',
}
/** With several mask classes the headline is the mean of the classes' dataset-level scores. */
const HOW_MULTI_CLASS: Record<string, string> = {
  Iou: 'IoU (dataset-level, mean over mask classes)',
  Dice: 'Dice (dataset-level, mean over mask classes)',
}

const subsetWords = (subset: string) => (subset === 'swinTest' ? 'Swin-UNet test' : subset)

/**
 * A stored metric name as people read it: testIou → "test IoU (dataset-level)", testIou:tumour → "test IoU of
 * tumour (dataset-level)", f1Macro → "F1 macro", val_loss → "val loss". `multiClass`: the run's project has
 * several mask classes, so its headline IoU and Dice are means over them.
 */
export function metricLabel(name: string, multiClass = false): string {
  const perClass = parseClassMetric(name)
  const classScore = perClass && /^(test|val|swinTest)(Iou|Dice)$/.exec(perClass.metric)
  if (perClass && classScore)
    return `${subsetWords(classScore[1])} ${classScore[2] === 'Iou' ? 'IoU' : 'Dice'} of ${perClass.className} (dataset-level)`
  const score = SEGMENTATION_SCORE.exec(name)
  if (score) return `${subsetWords(score[1])} ${(multiClass && HOW_MULTI_CLASS[score[2]]) || HOW[score[2]]}`
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .filter(Boolean)
  return words.map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase()).join(' ')
}
