import type * as tf from '@tensorflow/tfjs'
import { addPrefix, stripPrefix } from '../engine/statePrefix'
import type { TrainState } from '../engine/trainState'
import { captureNetState, restoreNetState, type StatefulNets } from './netState'

/** An optimiser's state over the variables it updates: the engine's optimisers and TrainingOptimizer. */
interface OptimizerWithState {
  exportState(variables: tf.Variable[]): TrainState
  importState(variables: tf.Variable[], state: TrainState): void
}

/**
 * What every method checkpoints and restores: its nets (weights and buffers, under `<net name>.`) and each
 * optimiser's step count and moments (under its prefix), so a resumed run continues exactly. The one place
 * that pairs the two directions; a method adds its own extras (random streams, best model) beside them.
 */
export interface TrainingParts {
  nets: StatefulNets
  optimizers: { prefix: string; optimizer: OptimizerWithState; variables: () => tf.Variable[] }[]
}

export function trainingState(parts: TrainingParts): TrainState {
  const state = captureNetState(parts.nets)
  for (const o of parts.optimizers)
    Object.assign(state, addPrefix(o.optimizer.exportState(o.variables()), o.prefix))
  return state
}

/** Puts back what trainingState saved. A checkpoint written before optimiser state was saved restores the weights only. */
export function restoreTraining(parts: TrainingParts, state: TrainState): void {
  restoreNetState(parts.nets, state)
  for (const o of parts.optimizers) {
    const mine = stripPrefix(state, o.prefix)
    if (Object.keys(mine).length) o.optimizer.importState(o.variables(), mine)
  }
}
