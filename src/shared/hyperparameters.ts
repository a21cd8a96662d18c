import { BACKBONES, type ClassifierBackbone } from './classifierBackbones'

/**
 * Every hyperparameter a run trains with, named for people: the training panel's settings and the run page
 * read their labels here, as the results pane reads metric names from evaluationMetrics.ts. The stored name
 * (`lr`, `dino.momentumTeacherEnd`) stays what runs, overrides and `s4mi train --set` use; this is only how
 * it reads. A setting of a method's pretraining phase is stored as `<phase>.<name>` and reads as its
 * name's label with the phase: "Learning rate (DINO pretraining)".
 */
const LABELS: Record<string, string> = {
  // Input and the training loop, every method.
  imageSize: 'Image size (px)',
  redChannel: 'Red-channel normalisation',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  microBatches: 'Micro-batches per step (0: as memory needs)',
  augment: 'Augmentation',
  backbone: 'Backbone',
  loss: 'Loss',
  // Optimiser and learning-rate schedule.
  optimizer: 'Optimiser',
  lr: 'Learning rate',
  minLr: 'Final learning rate',
  scaleLrByBatch: 'Learning rate scaled by batch size / 256',
  warmupEpochs: 'Learning-rate warm-up (epochs)',
  momentum: 'SGD momentum',
  weightDecay: 'Weight decay',
  weightDecayEnd: 'Final weight decay',
  schedule: 'Learning-rate schedule',
  cosineTMax: 'Cosine schedule period (T_max)',
  tMax: 'Cosine schedule period (T_max)',
  etaMin: 'Lowest learning rate of the cosine',
  stepSize: 'Step schedule: epochs per step',
  gamma: 'Step schedule: factor per step',
  clipGrad: 'Gradient clipping (largest norm per parameter)',
  // Which model is kept and when training stops.
  keepBestValidation: 'Keep the best-validation model',
  earlyStopPatience: 'Early stopping: validation-loss rises in a row',
  patience: 'Early stopping: validation-loss rises in a row',
  validateEvery: 'Validate every (iterations)',
  // Cross teaching (SSL4MIS).
  maxIterations: 'Iterations',
  labelledPerBatch: 'Labelled images per batch',
  unlabelledPerBatch: 'Unlabelled images per batch',
  consistency: 'Cross-teaching weight λ',
  rampupLength: 'Ramp-up of λ (ramp steps)',
  rampupIterationsPerStep: 'Iterations per ramp step (0: spread over the run)',
  reportSwin: 'Also score the Swin-UNet',
  // PiCIE.
  k: 'Clusters (K)',
  clusterBatchSize: 'Clustering batch size',
  initBatches: 'Batches pooled for the first k-means',
  updateBatches: 'Batches pooled per k-means update',
  kmeansIterations: 'k-means iterations',
  kmeansPointsPerCluster: 'k-means sample per cluster (0: every pixel)',
  minScale: 'Smallest crop scale',
  jitter: 'Colour jitter strength',
  hue: 'Largest hue shift',
  clusterWeighting: 'Cluster weights in the loss',
  freshClusters: 'Score with clusters recomputed after training',
  // Classification fine-tuning.
  focalAlpha: 'Focal loss α',
  focalGamma: 'Focal loss γ',
  classWeights: 'Class weights',
  // DINO.
  dinoPreset: 'DINO recipe',
  outDim: 'Output dimension',
  headHidden: 'Projection head: hidden width',
  headBottleneck: 'Projection head: bottleneck width',
  headLayers: 'Projection head: layers',
  normLastLayer: "Last layer's weight norm fixed",
  freezeLastLayer: 'Last layer frozen for the first epochs',
  studentTemp: 'Student temperature',
  teacherTemp: 'Teacher temperature',
  warmupTeacherTemp: 'Teacher temperature at the start',
  warmupTeacherTempEpochs: 'Teacher temperature warm-up (epochs)',
  centerMomentum: 'Centre momentum',
  momentumTeacher: 'Teacher momentum',
  momentumTeacherEnd: 'Final teacher momentum',
  localCrops: 'Local crops',
  globalScaleMin: 'Global crops: smallest scale',
  localScaleMax: 'Local crops: largest scale',
  dropPathRate: 'Drop path rate',
  keep: 'Network fine-tuned (student or teacher)',
  // CASS.
  cnnBackbone: 'CNN backbone',
  vitBackbone: 'Transformer backbone',
}

/**
 * The stages of a method that pretrains, by the prefix their settings are stored under, as people read them:
 * the settings' groups here and the stages a run reports (methods/trainingPhase.ts) use the same names.
 */
export const PRETRAINING_STAGES = {
  dino: 'DINO pretraining',
  cass: 'CASS pretraining',
} as const

/** The stage after a pretraining, whose settings carry no prefix. */
export const FINE_TUNING_STAGE = 'Fine-tuning'

/** A stored name's pretraining phase ("DINO pretraining"; null: the run's own training) and its label. */
export function hyperparameterParts(name: string): { phase: string | null; label: string } {
  const dot = name.indexOf('.')
  const prefix = dot > 0 ? name.slice(0, dot) : null
  const stages: Record<string, string> = PRETRAINING_STAGES
  const phase = prefix && Object.hasOwn(stages, prefix) ? stages[prefix] : null
  const base = phase ? name.slice(dot + 1) : name
  return { phase, label: Object.hasOwn(LABELS, base) ? LABELS[base] : name }
}

/** Whether a stored hyperparameter name has words for people (every setting a method trains with must). */
export function hasHyperparameterLabel(name: string): boolean {
  return hyperparameterParts(name).label !== name
}

/**
 * A stored hyperparameter name as people read it. One this version does not know (a run from another
 * version) reads as its stored name.
 */
export function hyperparameterLabel(name: string): string {
  const { phase, label } = hyperparameterParts(name)
  return phase && label !== name ? `${label} (${phase})` : label
}

/** A setting's value as people read it: yes or no for a switch, a backbone by its name, — when unset. */
export function hyperparameterValue(name: string, value: number | string | boolean | null): string {
  if (value === null) return '—'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  const backbone =
    /backbone$/i.test(name) && Object.hasOwn(BACKBONES, value) ? BACKBONES[value as ClassifierBackbone] : null
  return backbone ? backbone.label : String(value)
}

/**
 * Settings grouped by phase, for lists people read: a pretraining's first (it runs first), then the run's
 * own, headed "Fine-tuning" when there was a pretraining and not headed when there was none.
 */
export function hyperparameterGroups<T extends { name: string }>(
  rows: T[],
): { phase: string | null; rows: T[] }[] {
  const phaseOf = (r: T) => hyperparameterParts(r.name).phase
  const pretraining = [...new Set(rows.map(phaseOf))].filter((p): p is string => p !== null)
  const own = rows.filter((r) => phaseOf(r) === null)
  return [
    ...pretraining.map((phase) => ({ phase, rows: rows.filter((r) => phaseOf(r) === phase) })),
    ...(own.length ? [{ phase: pretraining.length ? FINE_TUNING_STAGE : null, rows: own }] : []),
  ]
}
