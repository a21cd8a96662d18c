/**
 * The terms a training step reports, live and in its stored curves, named for people and sorted by what
 * they are: the live chart, the run page's curves and the job card's figures read them here. A loss (or a
 * quantity in the same units, such as the teacher's entropy) is drawn on the loss axis; a schedule (the
 * learning rate, cross teaching's λ, DINO's teacher temperature and momentum) follows a plan rather than the
 * data and is drawn apart, as is a validation score.
 */
export type TermKind = 'loss' | 'schedule' | 'score'

const TERMS: Record<string, { label: string; kind: TermKind }> = {
  // Supervised segmentation (DEDL): ½(Dice + cross-entropy), or class-weighted cross-entropy.
  total: { label: 'total loss', kind: 'loss' },
  ce: { label: 'cross-entropy', kind: 'loss' },
  dice: { label: 'Dice loss', kind: 'loss' },
  // Cross teaching (SSL4MIS).
  supervisedCnn: { label: 'supervised loss (U-Net)', kind: 'loss' },
  supervisedSwin: { label: 'supervised loss (Swin-UNet)', kind: 'loss' },
  pseudoCnn: { label: 'pseudo-label loss (U-Net)', kind: 'loss' },
  pseudoSwin: { label: 'pseudo-label loss (Swin-UNet)', kind: 'loss' },
  lambda: { label: 'cross-teaching weight λ', kind: 'schedule' },
  // PiCIE.
  within: { label: 'within-view loss', kind: 'loss' },
  across: { label: 'across-view loss', kind: 'loss' },
  kmeans: { label: 'k-means loss', kind: 'loss' },
  // DINO: its loss, and what shows a collapse (the teacher's entropy, its KL to the centre).
  dinoLoss: { label: 'DINO loss', kind: 'loss' },
  teacherEntropy: { label: "teacher's entropy", kind: 'loss' },
  klToCenter: { label: 'KL to the centre', kind: 'loss' },
  teacherTemp: { label: 'teacher temperature', kind: 'schedule' },
  teacherMomentum: { label: 'teacher momentum', kind: 'schedule' },
  // CASS.
  cassLoss: { label: 'CASS loss (2 − 2·cos)', kind: 'loss' },
  // Fine-tuning a classifier, and its validation after each epoch.
  fineTune: { label: 'fine-tuning loss', kind: 'loss' },
  valLoss: { label: 'validation loss', kind: 'loss' },
  valF1Macro: { label: 'validation F1 (macro)', kind: 'score' },
  // As stored under 'val' (executeRun's curveName).
  f1Macro: { label: 'validation F1 (macro)', kind: 'score' },
  lr: { label: 'learning rate', kind: 'schedule' },
}

/** Whether a reported term has words for people (every term a method reports must). */
export function hasTrainingTerm(name: string): boolean {
  return Object.hasOwn(TERMS, name)
}

/** A reported term as people read it; one this version does not know reads as reported. */
export function trainingTermLabel(name: string): string {
  return Object.hasOwn(TERMS, name) ? TERMS[name].label : name
}

/** What a term is, for where it is drawn; an unknown one is taken for a loss. */
export function trainingTermKind(name: string): TermKind {
  return Object.hasOwn(TERMS, name) ? TERMS[name].kind : 'loss'
}
