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
    for (const owned of kept) owned.dispose()
    throw e
  } finally {
    for (const owned of scratch) owned.dispose()
  }
}
