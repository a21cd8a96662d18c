/**
 * CASS's fine-tuning discipline (CASS.ipynb, as METHODS.md states it): after each epoch the validation
 * loss and score; a loss above the previous epoch's counts a rise, any other epoch resets the count;
 * training stops once the loss has risen `patience` epochs running (0: never). The weights kept are those
 * of the best validation score (the first epoch that reached it).
 */
export interface EarlyStopping {
  bestScore: number
  /** 1-based; 0 before any epoch. */
  bestEpoch: number
  lastValLoss: number
  rises: number
  stopped: boolean
}

export function startEarlyStopping(): EarlyStopping {
  return { bestScore: -Infinity, bestEpoch: 0, lastValLoss: Infinity, rises: 0, stopped: false }
}

/** The state after `epoch` (1-based) and whether its weights are the new best. */
export function afterEpoch(
  s: EarlyStopping,
  epoch: number,
  valLoss: number,
  valScore: number,
  patience: number,
): { state: EarlyStopping; improved: boolean } {
  const improved = valScore > s.bestScore
  const rises = valLoss > s.lastValLoss ? s.rises + 1 : 0
  return {
    improved,
    state: {
      bestScore: improved ? valScore : s.bestScore,
      bestEpoch: improved ? epoch : s.bestEpoch,
      lastValLoss: valLoss,
      rises,
      stopped: patience > 0 && rises >= patience,
    },
  }
}
