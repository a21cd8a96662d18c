import type { TrainState } from '../../engine/trainState'
import type { Hyper, TrainContext } from '../method'
import type { SslBackboneName } from './sslBackbone'
import type { UnlabelledImages } from './unlabelledImages'

/** What DINO and CASS pretraining take and hand to fine-tuning, and how they keep their loss history. */

export interface PretrainContext extends Omit<TrainContext<UnlabelledImages>, 'data'> {
  images: UnlabelledImages
  backbone: SslBackboneName
}

/** What pretraining hands to fine-tuning. */
export interface PretrainedBackbone {
  method: 'dino' | 'cass'
  backbone: SslBackboneName
  /** The backbone's weights and buffers by torchvision name (no head), tfjs layout. */
  state: TrainState
  imageSize: number
  hyper: Hyper
  /** Per-epoch means of every logged term (e.g. dinoLoss, teacherEntropy, klToCenter). */
  history: Record<string, number[]>
}

/** Per-epoch histories as checkpoint tensors under `history.<term>`. */
export function historyState(history: Record<string, number[]>): TrainState {
  return Object.fromEntries(
    Object.entries(history).map(([k, v]) => [
      `history.${k}`,
      { shape: [v.length], values: Float32Array.from(v) },
    ]),
  )
}

/** The histories a checkpoint saved with historyState. */
export function historyFromState(state: TrainState): Record<string, number[]> {
  const out: Record<string, number[]> = {}
  for (const [key, value] of Object.entries(state)) {
    if (key.startsWith('history.')) out[key.slice('history.'.length)] = Array.from(value.values)
  }
  return out
}
