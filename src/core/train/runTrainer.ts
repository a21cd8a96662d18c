import * as tf from '@tensorflow/tfjs'
import { parseSafetensors } from '../models/nn/safetensors'
import type {
  CheckpointHooks,
  ImagenetWeightsLookup,
  Method,
  PretrainedBackbones,
  TrainContext,
  TrainResult,
} from '../methods/method'
import type { Task } from '../methods/catalogueEntry'
import {
  SET_NAMES,
  type DataDescription,
  type HostCall,
  type HostToTrainer,
  type MessageEnd,
  type TrainerToHost,
} from './trainerMessages'

/**
 * The trainer's side of a run trained apart from its host (trainerMessages.ts): it waits for 'train', gives
 * the method a data set and a context whose reads, checkpoints and stored backbones are calls to the host,
 * streams progress and log lines, and ends with 'failed', or with 'trained', after which it keeps the trained
 * networks to predict what the host sends until 'release'. It needs nothing but the method and a
 * tfjs backend already chosen, so it runs in a sandboxed renderer as well as in the host's own process.
 */
export function serveTrainer(
  end: MessageEnd<HostToTrainer, TrainerToHost>,
  methodFor: (task: Task, id: string) => Method<unknown>,
): void {
  const controller = new AbortController()
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  let nextId = 0
  const call = <T>(c: HostCall): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      end.post({ type: 'call', id, ...c })
    })

  // The trained networks, kept after 'trained' to predict the host's images until 'release'.
  let trained: TrainResult | null = null
  end.onMessage((m) => {
    if (m.type === 'cancel') controller.abort()
    if (m.type === 'predict') void predictFor(end, trained, m)
    if (m.type === 'release') {
      trained?.dispose()
      trained = null
    }
    if (m.type === 'answer') {
      const waiting = pending.get(m.id)
      pending.delete(m.id)
      if (m.error != null) waiting?.reject(new Error(m.error))
      else waiting?.resolve(m.value)
    }
    if (m.type !== 'train') return
    void (async () => {
      try {
        const method = methodFor(m.task, m.method)
        const checkpoint: CheckpointHooks = {
          save: (epoch, state) => call({ call: 'checkpointSave', epoch, state }),
          restore: () => call({ call: 'checkpointRestore' }),
        }
        const backbones: PretrainedBackbones = {
          load: (key) => call({ call: 'backboneLoad', key }),
          checkpoint: (key) => ({
            save: (epoch, state) => call({ call: 'backboneCheckpointSave', key, epoch, state }),
            restore: () => call({ call: 'backboneCheckpointRestore', key }),
          }),
          save: (key, epoch, state) => call({ call: 'backboneSave', key, epoch, state }),
        }
        const imagenetWeights: ImagenetWeightsLookup = async (architecture) => {
          const found = await call<{ file: string } | null>({ call: 'imagenetWeights', architecture })
          return (
            found && {
              file: found.file,
              load: async () => {
                const { file, bytes } = await call<{ file: string; bytes: Uint8Array }>({
                  call: 'imagenetWeightsLoad',
                  architecture,
                })
                return { file, weights: parseSafetensors(bytes, file) }
              },
            }
          )
        }
        const ctx: TrainContext<unknown> = {
          data: describedData(m.data, (set, indices) => call({ call: 'read', set, indices })),
          preset: m.preset,
          seed: m.seed,
          hyper: m.hyper,
          signal: controller.signal,
          onProgress: (progress) => end.post({ type: 'progress', progress }),
          log: (line) => end.post({ type: 'log', line }),
          checkpoint,
          ...(m.backbones ? { backbones } : {}),
          ...(m.imagenetWeights ? { imagenetWeights } : {}),
          ...(m.machine ? { machine: m.machine } : {}),
        }
        trained = await method.train(ctx)
        end.post({
          type: 'trained',
          hyper: trained.hyper,
          metrics: trained.metrics,
          ...(trained.notes ? { notes: trained.notes } : {}),
        })
      } catch (e) {
        end.post({
          type: 'failed',
          message: e instanceof Error ? e.message : String(e),
          cancelled: controller.signal.aborted,
        })
      }
    })()
  })
}

/** Answers one 'predict' with the trained networks' output, read back without blocking the page. */
async function predictFor(
  end: MessageEnd<HostToTrainer, TrainerToHost>,
  trained: TrainResult | null,
  m: HostToTrainer & { type: 'predict' },
): Promise<void> {
  try {
    if (!trained) throw new Error('The trainer holds no trained networks (the run ended or was released)')
    const net = trained
    // The method's own networks answer at once; the tidy frees their intermediates and the input.
    const output = tf.tidy(() =>
      net.predict(tf.tensor4d(m.pixels, m.shape as [number, number, number, number])),
    )
    try {
      const values = (await output.data()) as Float32Array
      end.post({ type: 'prediction', id: m.id, shape: output.shape, values })
    } finally {
      output.dispose()
    }
  } catch (e) {
    end.post({ type: 'predictionFailed', id: m.id, message: e instanceof Error ? e.message : String(e) })
  }
}

/** A method's data from its description: each set reads its samples from the host. */
function describedData(
  d: DataDescription,
  read: (set: (typeof SET_NAMES)[number], indices: number[]) => Promise<unknown>,
): unknown {
  const sets = Object.fromEntries(
    SET_NAMES.map((name) => [
      name,
      { ...d.sets[name], read: (indices: number[]) => read(name, [...indices]) },
    ]),
  )
  return { ...d.fields, ...sets }
}
