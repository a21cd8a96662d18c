import * as tf from '@tensorflow/tfjs'
import type { TrainState } from '../engine/trainState'
import type { SegmentationNet } from './segmentation/segmentationNet'

/** Nets by the name their tensors are saved under. */
export type StatefulNets = Record<string, Pick<SegmentationNet, 'stateDict'>>

/** Weights and buffers of named nets as one checkpointable state ("cnn.layer1.0.conv1.weight", …). */
export function captureNetState(nets: StatefulNets): TrainState {
  const state: TrainState = {}
  for (const [prefix, net] of Object.entries(nets)) {
    for (const [name, slot] of net.stateDict()) {
      state[`${prefix}.${name}`] = {
        shape: [...slot.value.shape],
        values: Float32Array.from(slot.value.dataSync()),
      }
    }
  }
  return state
}

export function restoreNetState(nets: StatefulNets, state: TrainState): void {
  for (const [prefix, net] of Object.entries(nets)) {
    for (const [name, slot] of net.stateDict()) {
      const key = `${prefix}.${name}`
      const saved = state[key]
      if (!saved)
        throw new Error(`Checkpoint has no tensor '${key}': it was saved from a different architecture`)
      if (saved.shape.join() !== slot.value.shape.join()) {
        throw new Error(
          `Checkpoint tensor '${key}' has shape [${saved.shape}], the net expects [${slot.value.shape}]`,
        )
      }
      const t = tf.tensor(saved.values, saved.shape, slot.value.dtype)
      slot.assign(t)
      t.dispose()
    }
  }
}
