/**
 * The evaluation metrics a run stores as final scores, each named exactly and defined: the results pane's
 * metric menu, its table headings, the exports and a model card all read them from here. Training losses
 * (and counts such as the best epoch) are not evaluation metrics: they live on the run page.
 */

export interface EvaluationMetric {
  /** The stored name: testIou, testF1Macro, swinTestDice… */
  name: string
  task: 'segmentation' | 'classification'
  /** Which images it was computed on. */
  subset: 'test' | 'val'
  /** Whose prediction, when a method trains two networks (cross teaching's Swin-UNet, CASS's ViT). */
  network: string | null
  /** As a heading reads: "test IoU (dataset-level)". */
  label: string
  /** How it is computed, in a sentence. */
  definition: string
}

const SEGMENTATION: Record<string, [string, string]> = {
  Iou: [
    'IoU (dataset-level)',
    'Foreground IoU from true positives, false positives and false negatives summed over every pixel of the subset: TP / (TP + FP + FN), as the paper (DEDL, smp reduction "micro").',
  ],
  Dice: ['Dice (dataset-level)', 'Foreground Dice from the same summed counts: 2TP / (2TP + FP + FN).'],
  IouPerImage: [
    'IoU (per-image mean)',
    'Foreground IoU of each image, averaged over images (an image with no foreground in mask or prediction scores 1).',
  ],
  DicePerImage: ['Dice (per-image mean)', 'Foreground Dice of each image, averaged over images.'],
  MeanIouTwoClass: [
    'mIoU (background and foreground)',
    'IoU of background and of foreground from one histogram over the subset, averaged (the PiCIE fork).',
  ],
  MeanIouWithBackground: [
    'mIoU (background and every mask class)',
    'IoU of background and of each mask class from one histogram over the subset, averaged (multi-class masks).',
  ],
}

const CLASSIFICATION: Record<string, [string, string]> = {
  F1Macro: ['F1 (macro)', 'F1 of each class, averaged with equal weight per class.'],
  F1Weighted: ['F1 (weighted)', 'F1 of each class, averaged weighted by how many images truly have it.'],
  RecallMacro: [
    'recall (macro)',
    'Recall (sensitivity) of each class, averaged with equal weight per class.',
  ],
  RecallWeighted: ['recall (weighted)', 'Recall of each class, averaged weighted by its support.'],
  PrecisionMacro: ['precision (macro)', 'Precision of each class, averaged with equal weight per class.'],
  PrecisionWeighted: ['precision (weighted)', 'Precision of each class, averaged weighted by its support.'],
  Accuracy: ['accuracy', 'Share of images whose predicted labels are exactly right.'],
}

/** Stored-name prefixes: the subset, and the second network of a two-network method. */
const PREFIXES: { prefix: string; subset: 'test' | 'val'; network: string | null }[] = [
  { prefix: 'test', subset: 'test', network: null },
  { prefix: 'val', subset: 'val', network: null },
  { prefix: 'swinTest', subset: 'test', network: 'Swin-UNet' },
  { prefix: 'vitTest', subset: 'test', network: 'ViT' },
  { prefix: 'vitVal', subset: 'val', network: 'ViT' },
]

/** The evaluation metric a stored name is; null for a loss, a count or a per-class detail. */
export function evaluationMetric(name: string): EvaluationMetric | null {
  for (const { prefix, subset, network } of PREFIXES) {
    if (!name.startsWith(prefix)) continue
    const rest = name.slice(prefix.length)
    for (const [task, table] of [
      ['segmentation', SEGMENTATION],
      ['classification', CLASSIFICATION],
    ] as const) {
      const known = table[rest]
      if (!known) continue
      const who = network ? `${network} ` : ''
      return { name, task, subset, network, label: `${who}${subset} ${known[0]}`, definition: known[1] }
    }
  }
  return null
}

/** The headline metric of each task, the paper's: dataset-level test IoU; test F1 (macro). */
export const HEADLINE_METRIC = { segmentation: 'testIou', classification: 'testF1Macro' } as const

/** The evaluation metrics among stored names, test before validation, the headline first. */
export function evaluationMetricsOf(
  names: Iterable<string>,
  task: 'segmentation' | 'classification',
): string[] {
  const order = (m: EvaluationMetric) =>
    (m.name === HEADLINE_METRIC[task] ? 0 : 1) * 100 + (m.subset === 'test' ? 0 : 10) + (m.network ? 1 : 0)
  return [...new Set(names)]
    .map(evaluationMetric)
    .filter((m): m is EvaluationMetric => m !== null && m.task === task)
    .sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name))
    .map((m) => m.name)
}
