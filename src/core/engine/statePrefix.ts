/**
 * Every name of `state` with `prefix` in front: several parts (nets, optimisers) in one checkpoint, or a
 * phase's settings beside the others in one run's hyperparameters (`dino.lr` beside `lr`).
 */
export function addPrefix<V>(state: Record<string, V>, prefix: string): Record<string, V> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [prefix + k, v]))
}

/** The part of `state` under `prefix`, with the prefix removed. */
export function stripPrefix<V>(state: Record<string, V>, prefix: string): Record<string, V> {
  return Object.fromEntries(
    Object.entries(state)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  )
}
