import type { TrainState } from '../../engine/trainState'
import { captureNetState, restoreNetState } from '../netState'
import type { SegmentationNet } from './segmentationNet'

/**
 * The model the test split scores: the best on validation, as the reference code keeps it.
 * - SSL4MIS (train_cross_teaching_between_cnn_transformer_2D.py) validates every 200 iterations and tests
 *   its *_best_model1.pth (highest mean validation Dice).
 * - DEDL (Segmentation.ipynb) keeps the best validation IoU and stops once the validation loss has risen
 *   `patience` (5) times running.
 * The kept state travels in the checkpoint (under `best.`), so a resumed run keeps its best model.
 */
export interface BestValidation {
  /** Where the best model was seen (epoch or iteration, 1-based) and its score; null before any. */
  readonly best: { at: number; score: number } | null
  /** Offers a validation result; keeps the nets' state when the score improves. True = stop early. */
  offer(at: number, score: number, loss?: number): boolean
  /** Puts the best state back into the nets (nothing kept: the nets stay as they are). */
  restoreBest(): void
  exportState(): TrainState
  importState(state: TrainState): void
}

export function bestValidation(
  nets: Record<string, Pick<SegmentationNet, 'stateDict'>>,
  /** Rises of the validation loss in a row that stop training; 0 = never stop early. */
  patience: number,
): BestValidation {
  let best: { at: number; score: number } | null = null
  let kept: TrainState | null = null
  let lastLoss = NaN
  let rises = 0
  return {
    get best() {
      return best
    },
    offer(at, score, loss = NaN) {
      if (best === null || score > best.score) {
        best = { at, score }
        kept = captureNetState(nets)
      }
      if (Number.isFinite(loss)) {
        rises = Number.isFinite(lastLoss) && loss > lastLoss ? rises + 1 : 0
        lastLoss = loss
      }
      return patience > 0 && rises >= patience
    },
    restoreBest() {
      if (kept) restoreNetState(nets, kept)
    },
    exportState() {
      if (!kept || !best) return {}
      const out: TrainState = {}
      for (const [k, v] of Object.entries(kept)) out[`best.${k}`] = v
      out['best.meta'] = { shape: [4], values: Float32Array.from([best.at, best.score, lastLoss, rises]) }
      return out
    },
    importState(state) {
      const meta = state['best.meta']
      if (!meta) return
      const [at, score, loss, r] = meta.values
      best = { at, score }
      lastLoss = loss
      rises = r
      kept = Object.fromEntries(
        Object.entries(state)
          .filter(([k]) => k.startsWith('best.') && k !== 'best.meta')
          .map(([k, v]) => [k.slice('best.'.length), v]),
      )
    },
  }
}
