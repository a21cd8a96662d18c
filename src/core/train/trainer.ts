import type { Task } from '../methods/catalogueEntry'
import type { HostedResult, ImagenetWeightsLookup, Method, TrainContext } from '../methods/method'
import { encodeSafetensors, type SafetensorsFile } from '../models/nn/safetensors'
import {
  SET_NAMES,
  type DataDescription,
  type HostCall,
  type HostToTrainer,
  type MessageEnd,
  type TrainerToHost,
} from './trainerMessages'
import { trainedPredictions } from './trainedPredictions'

/**
 * Where a run's training loop runs, as its host (executeRun) sees it: in the host's own process, or apart
 * from it (the sandboxed GPU window) over messages. The host gives the same context either way.
 */
export interface Trainer {
  train(request: { task: Task; method: string }, ctx: TrainContext<unknown>): Promise<HostedResult>
  /**
   * Whether the result's networks stay with the trainer: its predict() then asks the trainer (a Promise), and
   * if the trainer is gone the host predicts from the run's last checkpoint instead.
   */
  apart: boolean
}

/** Training in the host's own process: the method itself. */
export function trainerInProcess(methodFor: (task: Task, id: string) => Method<unknown>): Trainer {
  return { apart: false, train: ({ task, method }, ctx) => methodFor(task, method).train(ctx) }
}

/** The host's side of a trainer over messages (runTrainer.ts is the other side). */
export function trainerApart(end: MessageEnd<TrainerToHost, HostToTrainer>): Trainer {
  return {
    apart: true,
    train: ({ task, method }, ctx) =>
      new Promise<HostedResult>((resolve, reject) => {
        let over = false
        const finish = (f: () => void) => {
          if (over) return
          over = true
          f()
        }
        const predictions = trainedPredictions(end)
        end.onClose?.(() => {
          finish(() => reject(new Error('The training window closed before the run finished')))
          predictions.closed()
        })
        end.onMessage((m) => {
          if (m.type === 'prediction' || m.type === 'predictionFailed') predictions.answer(m)
          if (over) return
          if (m.type === 'progress') ctx.onProgress?.(m.progress)
          else if (m.type === 'log') ctx.log?.(m.line)
          else if (m.type === 'call')
            void answer(ctx, m).then(
              (value) => end.post({ type: 'answer', id: m.id, value }),
              (e: unknown) =>
                end.post({ type: 'answer', id: m.id, error: e instanceof Error ? e.message : String(e) }),
            )
          else if (m.type === 'failed') finish(() => reject(new Error(m.message)))
          else if (m.type === 'trained')
            finish(() =>
              resolve({
                hyper: m.hyper,
                metrics: m.metrics,
                ...(m.notes ? { notes: m.notes } : {}),
                predict: predictions.ask,
                dispose: () => predictions.release(),
              }),
            )
        })
        end.post({
          type: 'train',
          task,
          method,
          preset: ctx.preset,
          seed: ctx.seed,
          hyper: ctx.hyper ?? {},
          data: describeData(ctx.data),
          backbones: ctx.backbones != null,
          imagenetWeights: ctx.imagenetWeights != null,
          ...(ctx.machine ? { machine: ctx.machine } : {}),
        })
        // A run cancelled before it reached the trainer is cancelled there at once.
        if (ctx.signal?.aborted) end.post({ type: 'cancel' })
        else ctx.signal?.addEventListener('abort', () => end.post({ type: 'cancel' }), { once: true })
      }),
  }
}

/** What the host answers each call with, from the context it would give the method in its own process. */
async function answer(ctx: TrainContext<unknown>, c: HostCall): Promise<unknown> {
  const need = <T>(v: T | undefined, what: string): T => {
    if (v == null) throw new Error(`This run has no ${what}`)
    return v
  }
  switch (c.call) {
    case 'read':
      return setsOf(ctx.data)[c.set].read(c.indices)
    case 'checkpointSave':
      return need(ctx.checkpoint, 'checkpoints').save(c.epoch, c.state)
    case 'checkpointRestore':
      return need(ctx.checkpoint, 'checkpoints').restore()
    case 'backboneLoad':
      return need(ctx.backbones, 'stored backbones').load(c.key)
    case 'backboneCheckpointSave':
      return need(ctx.backbones, 'stored backbones').checkpoint(c.key).save(c.epoch, c.state)
    case 'backboneCheckpointRestore':
      return need(ctx.backbones, 'stored backbones').checkpoint(c.key).restore()
    case 'backboneSave':
      return need(ctx.backbones, 'stored backbones').save(c.key, c.epoch, c.state)
    case 'imagenetWeights': {
      const found = await need(ctx.imagenetWeights, 'ImageNet weights')(imagenetArchitecture(c.architecture))
      return found && { file: found.file }
    }
    case 'imagenetWeightsLoad': {
      const found = await need(ctx.imagenetWeights, 'ImageNet weights')(imagenetArchitecture(c.architecture))
      if (!found) throw new Error(`No ImageNet weights for ${c.architecture} are imported any more`)
      const loaded = await found.load()
      return { file: loaded.file, bytes: safetensorsBytes(loaded.weights) }
    }
  }
}

const imagenetArchitecture = (a: string) => a as Parameters<ImagenetWeightsLookup>[0]

type ReadableSet = { read(indices: number[]): Promise<unknown> } & Record<string, unknown>

function setsOf(data: unknown): Record<(typeof SET_NAMES)[number], ReadableSet> {
  return data as Record<(typeof SET_NAMES)[number], ReadableSet>
}

/** Whether a value crosses a MessagePort as it is and is small: what a method's data may describe itself with. */
function plain(v: unknown): boolean {
  if (v == null || ['number', 'string', 'boolean'].includes(typeof v)) return true
  if (ArrayBuffer.isView(v)) return true
  return Array.isArray(v) && v.every((x) => x == null || ['number', 'string', 'boolean'].includes(typeof x))
}

/**
 * A method's data as the trainer gets it: the fields methods read (sizes, class names, fingerprints) and
 * each set's ids and targets, without its `read` (a call instead). Fields of the host's own (a project's
 * sample sources) are not plain and stay behind.
 */
export function describeData(data: unknown): DataDescription {
  const sets = setsOf(data)
  const fields = Object.fromEntries(
    Object.entries(data as Record<string, unknown>).filter(
      ([k, v]) => !(SET_NAMES as readonly string[]).includes(k) && plain(v),
    ),
  )
  const described = Object.fromEntries(
    SET_NAMES.map((name) => [
      name,
      Object.fromEntries(Object.entries(sets[name]).filter(([, v]) => plain(v))),
    ]),
  ) as DataDescription['sets']
  return { fields, sets: described }
}

/**
 * Weights as safetensors bytes, which cross a MessagePort; the trainer parses them again. The file's own bytes
 * when it was read from some (half-precision weights stay half the size), else encoded as float32.
 */
function safetensorsBytes(weights: SafetensorsFile): Uint8Array {
  if (weights.bytes) return weights.bytes
  const tensors = new Map(
    [...weights.tensors].map(([name, e]) => [name, { shape: e.shape, data: e.toFloat32() }]),
  )
  return encodeSafetensors(tensors, weights.metadata)
}
