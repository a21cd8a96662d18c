const WORDS: Record<string, string> = { iou: 'IoU', dice: 'Dice', f1: 'F1', auc: 'AUC', lr: 'lr' }

/** A stored metric name as people read it: testIou → "test IoU", f1Macro → "F1 macro", val_loss → "val loss". */
export function metricLabel(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .filter(Boolean)
  return words.map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase()).join(' ')
}
