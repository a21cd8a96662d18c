import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { optimizerSettings, QUICK_OPTIMIZER } from '../engine/optimizerConfig'
import { createOptimizer } from '../engine/trainingOptimizer'
import { tinySegmentationNet } from './segmentation/fixtures/tinyNets'
import { restoreTraining, trainingState } from './trainingCheckpoint'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A net and its Adam after `steps` updates on a fixed batch. */
function trained(steps: number, seed: number) {
  const net = tinySegmentationNet(2, 4)({ preset: 'quick', size: 4, classes: 2, seed })
  const optimizer = createOptimizer(optimizerSettings({ ...QUICK_OPTIMIZER, optimizer: 'adam' }))
  const x = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 7)
  for (let i = 0; i < steps; i++)
    optimizer.minimize(() => tf.mean(tf.square(net.forward(x))) as tf.Scalar, net.parameters(), 0.01)
  x.dispose()
  const parts = {
    nets: { cnn: net },
    optimizers: [{ prefix: 'optimizer.cnn.', optimizer, variables: () => net.parameters() }],
  }
  const step = () => {
    const y = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 9)
    optimizer.minimize(() => tf.mean(tf.square(net.forward(y))) as tf.Scalar, net.parameters(), 0.01)
    y.dispose()
  }
  const weights = () => net.parameters().flatMap((p) => Array.from(p.dataSync()))
  const dispose = () => (net.dispose(), optimizer.dispose())
  return { parts, step, weights, dispose }
}

describe('one checkpoint of nets and optimisers for every method', () => {
  it('a restored net and optimiser take the next step exactly as the originals', () => {
    const original = trained(3, 1)
    const state = trainingState(original.parts)
    expect(Object.keys(state).some((k) => k.startsWith('cnn.'))).toBe(true)
    expect(Object.keys(state).some((k) => k.startsWith('optimizer.cnn.'))).toBe(true)
    const resumed = trained(0, 2) // other initial weights, fresh Adam
    restoreTraining(resumed.parts, state)
    expect(resumed.weights()).toEqual(original.weights())
    original.step()
    resumed.step()
    expect(resumed.weights()).toEqual(original.weights())
    // Without the optimiser's moments the next Adam step differs: they were restored, not re-made.
    const weightsOnly = trained(0, 2)
    restoreTraining(
      weightsOnly.parts,
      Object.fromEntries(Object.entries(state).filter(([k]) => !k.startsWith('optimizer.'))),
    )
    weightsOnly.step()
    expect(weightsOnly.weights()).not.toEqual(original.weights())
    ;[original, resumed, weightsOnly].forEach((t) => t.dispose())
  })
})
