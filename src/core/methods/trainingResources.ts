/** Anything a training run holds that must be freed: nets, optimisers, tensors. */
interface Disposable {
  dispose(): void
}

/**
 * Who frees what a method builds while it trains. The nets it keeps belong to its result once training
 * succeeds (the result's dispose frees them) and are freed here when training fails or is cancelled;
 * scratch (its optimiser, loss weights) is freed when training ends either way.
 */
export interface TrainingResources {
  keep<T extends Disposable>(owned: T): T
  scratch<T extends Disposable>(owned: T): T
}

export async function withTrainingResources<R>(train: (owned: TrainingResources) => Promise<R>): Promise<R> {
  const kept: Disposable[] = []
  const scratch: Disposable[] = []
  try {
    return await train({
      keep: (owned) => (kept.push(owned), owned),
      scratch: (owned) => (scratch.push(owned), owned),
    })
  } catch (e) {
    // The training error is the one to report: a backend that failed (wasm out of memory) may fail to free.
    for (const owned of kept) {
      try {
        owned.dispose()
      } catch {
        // already reported through e
      }
    }
    throw e
  } finally {
    for (const owned of scratch) owned.dispose()
  }
}
