import type { LabelSource } from '../../shared/types'
import type { MethodInfo, MethodKind } from '../../shared/contract/methods'
import type { TrainState } from '../engine/trainState'
import type { Project } from '../store/project'
import type { HostedResult, Hyper, Method, Preset } from './method'
import type { RestoredSegmenter } from './segmentation/restoredSegmenter'
import type { PredictionProgress } from './segmentation/slidePrediction'
import type { UncertaintyStrategy } from '../store/predictionUncertainty'

/**
 * The one catalogue of training methods: which exist, for which task, whether they use labels, what they
 * are called and how they are described, their presets and hyperparameters, and how a run feeds and
 * finishes each. The training panel and the CLI read it through `methods.list` (listMethods), every door
 * checks a request against it (validateTrainRequest), and the runner trains from it (findMethod).
 *
 * To add a method: export a `CatalogueEntry` from the method's own folder (see
 * segmentation/segmentationCatalogue.ts for the pattern: describe it, point `method` at its Method, and
 * give `loadData`/`afterTraining`), then add it to CATALOGUE in methods/catalogue.ts. Replacing a planned
 * entry (available: false) with the real one keeps the panel's list in the same order.
 */

export type Task = 'segmentation' | 'classification'

/** What a stored run's config holds (written when the run is created, read by the worker). */
export interface RunConfig {
  task: Task
  method: string
  preset: Preset
  /** As requested: 0–1, 'user' or 'active' (the set itself is labelFractionId). */
  labelFraction: number | 'user' | 'active'
  seed: number
  overrides: Record<string, number | string | boolean>
  splitId: number
  labelFractionId: number | null
  /** Hand-made masks only, or reviewed predictions too (absent: runs from before it was recorded). */
  labelSource?: LabelSource
}

/** What the run gives the work after training: its cancel signal, and where its progress goes. */
export interface AfterTraining {
  signal?: AbortSignal
  /** Predicting the project's images: model inputs done of all (whole images, or a slide's tiles). */
  progress?: (p: PredictionProgress) => void
}

/** How a run feeds a method from a project, and what it keeps after training (e.g. predictions). */
export interface MethodRunner {
  method: Method<unknown>
  loadData(project: Project, config: RunConfig): Promise<unknown>
  disposeData?(data: unknown): void
  afterTraining?(
    project: Project,
    runId: number,
    config: RunConfig,
    data: unknown,
    result: HostedResult,
    after?: AfterTraining,
  ): Promise<void>
  /**
   * The trained model inside a run's last checkpoint, for export: the network it reports (its best
   * validation weights when kept), by parameter name, without optimiser state. Absent: not exportable.
   */
  modelWeights?(state: TrainState): TrainState
  /**
   * A finished segmentation run's model built again from its checkpoint, to predict images after training
   * (the labelling loop). Absent: the method's model cannot be rebuilt from its checkpoint alone (PiCIE).
   */
  restoreSegmenter?(project: Project, config: RunConfig, state: TrainState): RestoredSegmenter
  /** What uncertainty a restored model of this method can measure, for menus (the model checks again). */
  measures?: UncertaintyStrategy[]
  /** Predicts every image of a project with exported weights (an imported model) and stores the masks. */
  predictWithWeights?(project: Project, runId: number, config: RunConfig, weights: TrainState): Promise<void>
}

export interface CatalogueEntry {
  /** The name runs, the CLI and the API use: 'supervised', 'cross-teaching', 'dino'. */
  id: string
  task: Task
  /** In the field's words, for people: 'Supervised U-Net', 'Cross teaching'. */
  name: string
  kind: MethodKind
  /** One sentence: what it does, in the paper's words. */
  description: string
  /** False for unsupervised methods: they always train at label fraction 0. */
  usesLabels: boolean
  /** Where its defaults come from (paper section, reference code). */
  source?: string
  /** What each hyperparameter means, for the panel and `s4mi train --help` (optional, by name). */
  hyperDocs?: Record<string, string>
  /**
   * The network a run of it trains, in words ('ResNet-34 U-Net'), from its preset and resolved
   * hyperparameters: the results table's rows are method × backbone, as the paper's Table 1.
   */
  backbone?(preset: Preset, hyper: Hyper): string
  /** How to train it; null while it is planned but not built yet (listed, not startable). */
  runner: MethodRunner | null
}

/** An entry as methods.list sends it: no code, presets and hyperparameters spelt out. */
export function describeEntry(e: CatalogueEntry): MethodInfo {
  const presets = e.runner
    ? { quick: e.runner.method.defaults('quick'), paper: e.runner.method.defaults('paper') }
    : null
  return {
    id: e.id,
    task: e.task,
    name: e.name,
    kind: e.kind,
    description: e.description,
    usesLabels: e.usesLabels,
    available: e.runner !== null,
    source: e.source ?? null,
    presets,
    hyperparameters: presets ? hyperparameters(presets.quick, presets.paper, e.hyperDocs ?? {}) : [],
  }
}

function hyperparameters(
  quick: Hyper,
  paper: Hyper,
  docs: Record<string, string>,
): MethodInfo['hyperparameters'] {
  return Object.keys({ ...paper, ...quick }).map((name) => ({
    name,
    type: typeof (paper[name] ?? quick[name]) as 'number' | 'string' | 'boolean',
    quick: quick[name] ?? null,
    paper: paper[name] ?? null,
    about: docs[name] ?? null,
  }))
}
