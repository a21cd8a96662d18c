// Training on wasm end to end: a few Adam steps of the probe networks leak no tensors, lower the loss, and
// repeat bit for bit from the same seed (reproducibility on the same backend).
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAdam } from '../optim/adam'
import { probeNetworks } from './probeNetworks'
import { useWasmBackend } from './wasmBackend'

function train(
  index: number,
  steps: number,
): { losses: number[]; tensorCounts: number[]; weights: Float32Array } {
  const network = probeNetworks[index]
  const initial = tf.tidy(() => network.weights())
  const weights = initial.map((w) => tf.variable(w))
  tf.dispose(initial)
  const optimizer = createAdam({ learningRate: 1e-2, weightDecay: 1e-5 })
  const losses: number[] = []
  const tensorCounts: number[] = []
  for (let step = 0; step < steps; step++) {
    const { value, grads } = tf.variableGrads(() => network.loss(weights), weights)
    optimizer.step(
      weights,
      weights.map((w) => grads[w.name]),
    )
    losses.push(value.dataSync()[0])
    tf.dispose([value, ...Object.values(grads)])
    tensorCounts.push(tf.memory().numTensors)
  }
  const final = weights[0].dataSync() as Float32Array
  optimizer.dispose()
  tf.dispose(weights)
  return { losses, tensorCounts, weights: final }
}

describe('training on the wasm backend', () => {
  beforeAll(async () => {
    await useWasmBackend()
  })

  it.each(probeNetworks.map((n, i) => [n.name, i] as const))(
    '%s: flat tensor count, falling loss, identical rerun',
    (_name, index) => {
      const before = tf.memory().numTensors
      const first = train(index, 5)
      // Optimiser state appears on step 1; afterwards the count must not move.
      expect(new Set(first.tensorCounts.slice(1)).size).toBe(1)
      expect(tf.memory().numTensors).toBe(before)
      expect(first.losses[4]).toBeLessThan(first.losses[0])
      const second = train(index, 5)
      expect(second.losses).toEqual(first.losses)
      expect(Array.from(second.weights)).toEqual(Array.from(first.weights))
    },
  )
})
