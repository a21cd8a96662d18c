const WORDS: Record<string, string> = { iou: 'IoU', dice: 'Dice', f1: 'F1', auc: 'AUC', lr: 'lr' }

/**
 * Segmentation scores say how they were computed: the headline (testIou) is the dataset-level score the
 * paper reports (TP, FP, FN summed over the split, as DEDL); the per-image mean and the PiCIE fork's
 * two-class mIoU are alternatives stored beside it.
 */
const SEGMENTATION_SCORE = /^(test|val|swinTest)(Iou|Dice|IouPerImage|DicePerImage|MeanIouTwoClass)$/
const HOW: Record<string, string> = {
  Iou: 'IoU (dataset-level)',
  Dice: 'Dice (dataset-level)',
  IouPerImage: 'IoU (per-image mean)',
  DicePerImage: 'Dice (per-image mean)',
  MeanIouTwoClass: 'mIoU (background and foreground)',
}

/** A stored metric name as people read it: testIou → "test IoU (dataset-level)", f1Macro → "F1 macro", val_loss → "val loss". */
export function metricLabel(name: string): string {
  const score = SEGMENTATION_SCORE.exec(name)
  if (score) return `${score[1] === 'swinTest' ? 'Swin-UNet test' : score[1]} ${HOW[score[2]]}`
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .filter(Boolean)
  return words.map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase()).join(' ')
}
