import type { TrainState } from './trainState'

/** Every name of `state` with `prefix` in front: several parts (nets, optimisers) in one checkpoint. */
export function addPrefix(state: TrainState, prefix: string): TrainState {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [prefix + k, v]))
}

/** The part of `state` under `prefix`, with the prefix removed. */
export function stripPrefix(state: TrainState, prefix: string): TrainState {
  return Object.fromEntries(
    Object.entries(state)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  )
}
