import type { TrainingPhase } from '../../shared/events'
import type { Machine } from '../engine/machine'
import type * as tf from '@tensorflow/tfjs'
import type { TrainState } from '../engine/trainState'
import type { SafetensorsFile } from '../models/nn/safetensors'
import type { PretrainedArchitecture } from '../models/pretrained/pretrainedArchitectures'

/**
 * The contract every training method (segmentation now, classification later) fulfils, so one job
 * runner, the CLI and the UI can start, follow, stop and resume any of them the same way.
 * Methods see a project-independent dataset; loading it from a project is the caller's business.
 */

export type Preset = 'quick' | 'paper'

export type HyperValue = number | string | boolean
/** A method's hyperparameters, flat and JSON-able, so every run records exactly what it used. */
export type Hyper = Record<string, HyperValue>

export interface TrainProgress {
  /** 1-based. */
  epoch: number
  epochs: number
  /** 1-based within the epoch. */
  step: number
  steps: number
  /** Every loss term by name, for live curves (e.g. supervised1, pseudo1, total). */
  losses: Record<string, number>
  lr: number
  imagesPerSecond: number
  /** The stage, for a method that trains in several (see methods/trainingPhase.ts); epoch counts within it. */
  phase?: TrainingPhase
}

export interface CheckpointHooks {
  /** Called at the end of each epoch. */
  save(epoch: number, state: TrainState): Promise<void>
  /** The last saved state, if this run is being resumed. */
  restore(): Promise<{ epoch: number; state: TrainState } | null>
}

/**
 * Which self-supervised pretraining a backbone is. The same key is the same pretraining: it runs once and
 * is fine-tuned at every label fraction (the paper pretrains once, then fine-tunes at 10 % and 100 %).
 */
export interface PretrainKey {
  method: string
  backbone: string
  preset: Preset
  seed: number
  /** Fingerprint of the training images (not the labels: pretraining uses none). */
  datasetVersion: string
  /** The pretraining's own settings (epochs, crops, temperatures…), fingerprinted into the key. */
  settings: Hyper
}

/** Pretrained backbones kept with the project (see classification/pretrainedBackbone.ts for use). */
export interface PretrainedBackbones {
  /** The finished pretraining for this key, if stored: backbone weights by torchvision name, no head. */
  load(key: PretrainKey): Promise<{ state: TrainState; id: number } | null>
  /** Per-epoch checkpoints of a pretraining still running, so a killed one resumes where it was. */
  checkpoint(key: PretrainKey): CheckpointHooks
  /** Stores the finished backbone for the key; returns its id. */
  save(key: PretrainKey, epoch: number, state: TrainState): Promise<number>
}

export type { Machine }

/** ImageNet weights a net starts from: the file they came from (for the run's log) and its tensors. */
export interface ImagenetWeights {
  file: string
  weights: SafetensorsFile
}

/**
 * ImageNet weights the user imported, found but not yet read: the file (what a pretraining's key and the run's
 * log name) and how to read it, so a method that reuses a stored pretraining never reads the file.
 */
export interface ImagenetWeightsFound {
  file: string
  load(): Promise<ImagenetWeights>
}

/** The ImageNet weights the user imported for an architecture, or null when there are none. */
export type ImagenetWeightsLookup = (
  architecture: PretrainedArchitecture['id'],
) => Promise<ImagenetWeightsFound | null>

/** The weights `lookup` finds for an architecture, read; null without a lookup or an imported file. */
export async function loadedImagenetWeights(
  lookup: ImagenetWeightsLookup | undefined,
  architecture: PretrainedArchitecture['id'],
): Promise<ImagenetWeights | null> {
  const found = lookup ? await lookup(architecture) : null
  return found ? found.load() : null
}

export interface TrainContext<Data> {
  data: Data
  preset: Preset
  seed: number
  /** Overrides of the preset's defaults; unknown names or wrong types are rejected. */
  hyper?: Partial<Hyper>
  onProgress?(p: TrainProgress): void
  signal?: AbortSignal
  checkpoint?: CheckpointHooks
  /** Where pretrained backbones are kept; absent: pretraining is not reused. */
  backbones?: PretrainedBackbones
  /** One line per notable event (weights' origin, early stopping, a reused backbone): the run's log. */
  log?(line: string): void
  /** The machine the run trains on; absent: a step plans for the wasm heap's 4 GiB of RAM. */
  machine?: Machine
  /**
   * Where ImageNet weights come from (the run's host reads the user's imported files); absent: none, and
   * the nets start random as when nothing is imported.
   */
  imagenetWeights?: ImagenetWeightsLookup
}

export interface TrainResult {
  /** The hyperparameters actually used (defaults merged with overrides). */
  hyper: Hyper
  /** Final scores by name, e.g. testIou, testDice, valIou. */
  metrics: Record<string, number>
  /**
   * Class probabilities for preprocessed images [N, H, W, 3]: per pixel [N, H, W, C] (segmentation) or
   * per image [N, C] (classification). Caller disposes the result.
   */
  predict(images: tf.Tensor4D): tf.Tensor
  /** Frees the trained weights. */
  dispose(): void
  /** What the run's user should know about how it ran (e.g. "no ImageNet weights: random start"). */
  notes?: string[]
}

/**
 * A run's result as its host holds it: a method's TrainResult, or one whose networks live apart from the host
 * (trained in the GPU window: train/trainer.ts), whose predict() answers later.
 */
export interface HostedResult extends Omit<TrainResult, 'predict'> {
  predict(images: tf.Tensor4D): tf.Tensor | Promise<tf.Tensor>
}

export interface Method<Data> {
  task: 'segmentation' | 'classification'
  name: string
  /**
   * The preset's hyperparameters. `chosen` (a run's overrides) matters to methods whose defaults follow
   * another choice: DINO's official recipe differs for a ResNet and a ViT backbone.
   */
  defaults(preset: Preset, chosen?: Partial<Hyper>): Hyper
  train(ctx: TrainContext<Data>): Promise<TrainResult>
}

/** A run's hyperparameters: its method's defaults for its preset and choices, with its overrides. */
export function runHyper(
  method: Pick<Method<unknown>, 'defaults' | 'name'>,
  preset: Preset,
  overrides: Partial<Hyper> = {},
): Hyper {
  return resolveHyper(method.defaults(preset, overrides), overrides, method.name)
}

/** Defaults merged with overrides; a misspelt or mistyped override is an error naming the field. */
export function resolveHyper(defaults: Hyper, overrides: Partial<Hyper> = {}, method = 'method'): Hyper {
  const out: Hyper = { ...defaults }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue
    if (!(key in defaults)) {
      throw new Error(`${method} has no hyperparameter '${key}' (known: ${Object.keys(defaults).join(', ')})`)
    }
    if (typeof value !== typeof defaults[key]) {
      throw new Error(
        `Hyperparameter '${key}' of ${method} must be a ${typeof defaults[key]}, got ${JSON.stringify(value)}`,
      )
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error(`Hyperparameter '${key}' of ${method} must be finite, got ${value}`)
    }
    out[key] = value
  }
  return out
}

export class TrainingCancelled extends Error {
  constructor() {
    super('Training cancelled')
    this.name = 'TrainingCancelled'
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TrainingCancelled()
}
