import type { TrainState } from '../../engine/trainState'
import type { CheckpointHooks, PretrainedBackbones, PretrainKey } from '../method'

/**
 * Pretraining is reusable (the paper pretrains DINO and CASS once for 100 epochs, then fine-tunes at each
 * label fraction from that one checkpoint): a backbone is stored once per method, backbone, preset, seed,
 * training images and pretraining settings. `pretrainOnce` returns the stored one when it exists;
 * otherwise it runs the pretraining with per-epoch checkpoints under the key (a killed pretraining
 * resumes, whichever run picks it up next) and stores the result.
 *
 *   const { state, reused } = await pretrainOnce(ctx.backbones, key, (hooks) => runDino(..., hooks))
 *   const r = await fineTune({ ..., start: { kind: 'pretrained', state, from: `DINO backbone ${id}` } })
 */

/**
 * The key's settings as one string, the same whatever their order: what identifies a pretraining's
 * settings (a project stores its hash, train/projectBackbones.ts).
 */
export function settingsText(settings: PretrainKey['settings']): string {
  const sorted = Object.keys(settings)
    .sort()
    .map((k) => [k, settings[k]])
  return JSON.stringify(sorted)
}

export interface PretrainedStart {
  /** Backbone weights by torchvision name, no head: fineTune's `{ kind: 'pretrained', state }`. */
  state: TrainState
  /** Stored backbone id (null when nothing stores them), for the run's log and record. */
  id: number | null
  reused: boolean
}

export async function pretrainOnce(
  store: PretrainedBackbones | undefined,
  key: PretrainKey,
  pretrain: (checkpoint: CheckpointHooks | undefined) => Promise<{ epoch: number; state: TrainState }>,
): Promise<PretrainedStart> {
  if (!store) {
    const r = await pretrain(undefined)
    return { state: r.state, id: null, reused: false }
  }
  const found = await store.load(key)
  if (found) return { state: found.state, id: found.id, reused: true }
  const r = await pretrain(store.checkpoint(key))
  const id = await store.save(key, r.epoch, r.state)
  return { state: r.state, id, reused: false }
}

/** Backbones kept in memory (tests, or a caller without a project). */
export function memoryBackbones(): PretrainedBackbones & { saved: number } {
  const complete = new Map<string, { id: number; state: TrainState }>()
  const partial = new Map<string, { epoch: number; state: TrainState }>()
  const id = (k: PretrainKey) =>
    JSON.stringify([k.method, k.backbone, k.preset, k.seed, k.datasetVersion, settingsText(k.settings)])
  const store = {
    saved: 0,
    load: async (k: PretrainKey) => complete.get(id(k)) ?? null,
    checkpoint: (k: PretrainKey): CheckpointHooks => ({
      save: async (epoch, state) => void partial.set(id(k), { epoch, state }),
      restore: async () => partial.get(id(k)) ?? null,
    }),
    save: async (k: PretrainKey, _epoch: number, state: TrainState) => {
      store.saved++
      complete.set(id(k), { id: store.saved, state })
      partial.delete(id(k))
      return store.saved
    },
  }
  return store
}
