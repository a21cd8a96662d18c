import type { TrainState } from '../engine/trainState'
import type { Hyper, Machine, PretrainKey, Preset, TrainProgress } from '../methods/method'
import type { Task } from '../methods/catalogueEntry'

/**
 * The messages between a run's host (Node: the project, its images, checkpoints and stored backbones) and
 * its trainer (the method's training loop, on the backend it chose), when the two live apart: the trainer in
 * the sandboxed GPU window, which has no Node, the host in a worker process. Everything in them survives
 * structured cloning (plain objects, numbers, strings, typed arrays), so they cross a MessagePort unchanged.
 */

/** The four sets a method reads, by their names on its data. */
export const SET_NAMES = ['labelled', 'unlabelled', 'val', 'test'] as const
export type SetName = (typeof SET_NAMES)[number]

/**
 * A method's data without its pixels: the sets' sample ids (and targets or whether they carry masks), the
 * sizes, class names and fingerprints. The trainer reads pixels batch by batch with a 'read' call.
 */
export interface DataDescription {
  fields: Record<string, unknown>
  sets: Record<SetName, Record<string, unknown>>
}

/** What the trainer asks of its host and waits for, each answered by one 'answer'. */
export type HostCall =
  | { call: 'read'; set: SetName; indices: number[] }
  | { call: 'checkpointSave'; epoch: number; state: TrainState }
  | { call: 'checkpointRestore' }
  | { call: 'backboneLoad'; key: PretrainKey }
  | { call: 'backboneCheckpointSave'; key: PretrainKey; epoch: number; state: TrainState }
  | { call: 'backboneCheckpointRestore'; key: PretrainKey }
  | { call: 'backboneSave'; key: PretrainKey; epoch: number; state: TrainState }
  /** Answered with `{ file }` (the user imported weights for it) or null; nothing is read yet. */
  | { call: 'imagenetWeights'; architecture: string }
  /** Answered with `{ file, bytes }`: the weights as safetensors bytes. */
  | { call: 'imagenetWeightsLoad'; architecture: string }

export type HostToTrainer =
  | {
      type: 'train'
      task: Task
      method: string
      preset: Preset
      seed: number
      hyper: Partial<Hyper>
      data: DataDescription
      /** Whether the host keeps pretrained backbones (the backbone calls are answered). */
      backbones: boolean
      /** Whether the host looks up the user's ImageNet weights (the 'imagenetWeights' call is answered). */
      imagenetWeights: boolean
      machine?: Machine
    }
  | { type: 'answer'; id: number; value?: unknown; error?: string }
  | { type: 'cancel' }
  /** After 'trained': the trained networks' prediction for preprocessed images [N, H, W, 3]. */
  | { type: 'predict'; id: number; shape: number[]; pixels: Float32Array }
  /** The host needs the trained networks no more: the trainer frees them. */
  | { type: 'release' }

export type TrainerToHost =
  | ({ type: 'call'; id: number } & HostCall)
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'log'; line: string }
  /** Training ended: the trainer keeps the networks to answer 'predict' until 'release'. */
  | { type: 'trained'; hyper: Hyper; metrics: Record<string, number>; notes?: string[] }
  | { type: 'prediction'; id: number; shape: number[]; values: Float32Array }
  | { type: 'predictionFailed'; id: number; message: string }
  | { type: 'failed'; message: string; cancelled: boolean }

/** One end of the channel between host and trainer (a MessagePort, or two queues in a test). */
export interface MessageEnd<In, Out> {
  post(m: Out): void
  onMessage(l: (m: In) => void): void
  /** The other end is gone (its window or process ended): nothing more will arrive. */
  onClose?(l: () => void): void
}
