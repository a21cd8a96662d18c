import type { TrainState } from '../../engine/trainState'
import type { CheckpointHooks } from '../method'
import { addPrefix, stripPrefix } from '../../engine/statePrefix'

/**
 * One run's checkpoint hooks shared by its phases in order (pretraining, then each fine-tuning). Each
 * phase saves under its own prefix with its index, plus what later phases need from finished ones
 * (`carry`: e.g. the pretrained backbone, a finished fine-tune's scores), so a run killed in any phase
 * resumes in that phase with everything before it intact.
 */
export interface RunPhases {
  /** The phase the saved checkpoint is in (its index), -1 when there is none. */
  reached: number
  /** What finished phases carried, from the saved checkpoint (empty when none). */
  carried: TrainState
  hooks(phase: number, carry: () => TrainState): CheckpointHooks | undefined
}

export async function runPhases(
  hooks: CheckpointHooks | undefined,
  names: readonly string[],
): Promise<RunPhases> {
  const saved = (await hooks?.restore()) ?? null
  const reached = saved?.state['phase.index']?.values[0] ?? -1
  return {
    reached,
    carried: saved ? stripPrefix(saved.state, 'carry.') : {},
    hooks(phase, carry) {
      if (!hooks) return undefined
      const prefix = `${names[phase]}.`
      return {
        save: (epoch, state) =>
          hooks.save(epoch, {
            ...addPrefix(state, prefix),
            ...addPrefix(carry(), 'carry.'),
            'phase.index': { shape: [1], values: Float32Array.of(phase) },
          }),
        restore: async () =>
          saved && reached === phase ? { epoch: saved.epoch, state: stripPrefix(saved.state, prefix) } : null,
      }
    },
  }
}
