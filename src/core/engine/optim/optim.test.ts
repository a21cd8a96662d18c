// Our optimisers against torch.optim on the same parameters and gradients (torchOptimReference.json, written
// by bench/reference/optim_schedule_reference.py), plus hand-computed first steps and a no-leak check.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import reference from './torchOptimReference.json'
import { createAdam, createAdamW } from './adam'
import { clipGradNorm } from './clipGradNorm'
import type { Optimizer } from './optimizer'
import { createSgd } from './sgd'

type Case = (typeof reference.cases)[number]

const makers: Record<string, () => Optimizer> = {
  adam: () => createAdam({ learningRate: 0.1, weightDecay: 0.05 }),
  adamPaper: () => createAdam({ learningRate: 3.6e-4, weightDecay: 1e-5 }),
  adamW: () => createAdamW({ learningRate: 0.1, weightDecay: 0.05 }),
  sgdMomentum: () => createSgd({ learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4 }),
  sgdNesterov: () => createSgd({ learningRate: 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true }),
  sgdPlain: () => createSgd({ learningRate: 0.05 }),
  adamClipped: () => createAdam({ learningRate: 0.1 }),
}

function runCase(c: Case): void {
  const optimizer = makers[c.name]()
  const params = c.initial.map((values, i) => tf.variable(tf.tensor(values, c.shapes[i])))
  c.grads.forEach((stepGrads, step) => {
    let grads = stepGrads.map((values, i) => tf.tensor(values, c.shapes[i]))
    if (c.gradNorms.length > 0) {
      const clipped = clipGradNorm(grads, 3.0)
      expect(clipped.norm).toBeCloseTo(c.gradNorms[step], 4)
      tf.dispose(grads)
      grads = clipped.grads
    }
    optimizer.step(params, grads)
    tf.dispose(grads)
    params.forEach((p, i) => {
      const ours = p.dataSync()
      c.params[step][i].forEach((expected, k) => expect(ours[k]).toBeCloseTo(expected, 5))
    })
  })
  optimizer.dispose()
  tf.dispose(params)
}

describe('optimisers match torch.optim step by step', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => runCase(c))

  it('Adam first step by hand: L2 decay enters the gradient, the step is lr * sign-ish', () => {
    // p = 1, g = 0.5, wd = 0.1 -> g' = 0.6; m = 0.06, v = 0.00036; mhat = 0.6, vhat = 0.36 -> p = 1 - 0.1 * 1
    const p = tf.variable(tf.tensor1d([1]))
    const adam = createAdam({ learningRate: 0.1, weightDecay: 0.1, epsilon: 0 })
    const g = tf.tensor1d([0.5])
    adam.step([p], [g])
    expect(p.dataSync()[0]).toBeCloseTo(0.9, 6)
    // AdamW instead shrinks p by lr * wd first: 1 * (1 - 0.01) - 0.1 = 0.89
    const q = tf.variable(tf.tensor1d([1]))
    createAdamW({ learningRate: 0.1, weightDecay: 0.1, epsilon: 0 }).step([q], [g])
    expect(q.dataSync()[0]).toBeCloseTo(0.89, 6)
    tf.dispose([p, q, g])
  })

  it('SGD momentum buffer starts at the first gradient (torch), not at zero', () => {
    const p = tf.variable(tf.tensor1d([0]))
    const sgd = createSgd({ learningRate: 1, momentum: 0.5 })
    const g = tf.tensor1d([1])
    sgd.step([p], [g]) // buf = 1 -> p = -1
    sgd.step([p], [g]) // buf = 0.5 + 1 = 1.5 -> p = -2.5
    expect(p.dataSync()[0]).toBeCloseTo(-2.5, 6)
    sgd.dispose()
    tf.dispose([p, g])
  })

  it('clipGradNorm leaves small gradients alone and scales large ones to maxNorm', () => {
    const small = [tf.tensor1d([0.3, 0.4])]
    const kept = clipGradNorm(small, 1)
    expect(kept.norm).toBeCloseTo(0.5, 6)
    expect(Array.from(kept.grads[0].dataSync())).toEqual([0.30000001192092896, 0.4000000059604645])
    const big = [tf.tensor1d([3]), tf.tensor2d([[4]])]
    const clipped = clipGradNorm(big, 1)
    expect(clipped.norm).toBeCloseTo(5, 5)
    expect(clipped.grads[0].dataSync()[0]).toBeCloseTo(0.6, 5)
    expect(clipped.grads[1].dataSync()[0]).toBeCloseTo(0.8, 5)
    expect(() => clipGradNorm([tf.tensor1d([Number.NaN])], 1)).toThrow(/NaN/)
  })

  it('rejects bad hyperparameters and mismatched gradients by name', () => {
    expect(() => createAdam({ learningRate: -1 })).toThrow(/Adam: learningRate/)
    expect(() => createSgd({ learningRate: 0.1, nesterov: true })).toThrow(/nesterov/)
    const p = tf.variable(tf.zeros([2]), true, 'encoder.weight')
    expect(() => createAdam({ learningRate: 0.1 }).step([p], [tf.zeros([3])])).toThrow(
      /encoder\.weight.*\[3\]/,
    )
  })

  it.each(['adam', 'adamW', 'sgdMomentum'])('%s leaks no tensors across steps', (name) => {
    const baseline = tf.memory().numTensors
    const optimizer = makers[name]()
    const params = tf.tidy(() => [tf.variable(tf.randomNormal([3, 4])), tf.variable(tf.randomNormal([5]))])
    const counts: number[] = []
    for (let step = 0; step < 5; step++) {
      const grads = params.map((p) => tf.randomNormal(p.shape))
      optimizer.step(params, grads)
      tf.dispose(grads)
      counts.push(tf.memory().numTensors)
    }
    // State is created on the first step: exactly its slots, and afterwards the count must not move.
    const stateCount = optimizer.stateTensors().length
    expect(stateCount).toBe(name === 'sgdMomentum' ? 2 : 4)
    expect(counts[0]).toBe(baseline + params.length + stateCount)
    expect(new Set(counts).size).toBe(1)
    optimizer.dispose()
    tf.dispose(params)
    expect(tf.memory().numTensors).toBe(baseline)
  })
})
