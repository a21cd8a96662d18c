import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { bufferPeak } from './bufferPeak'
import { freeingGradients, freeingVariableGrads, tapeEngine } from './freeingBackward'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])
}

/** tf.variableGrads and the freeing pass on the same loss: the same names and values, nothing left behind. */
function expectSameGradients(loss: () => tf.Scalar, vars: tf.Variable[]) {
  const theirs = tf.variableGrads(loss, vars)
  const before = tf.memory().numTensors
  const ours = freeingVariableGrads(loss, vars)
  expect(Object.keys(ours.grads).sort()).toEqual(Object.keys(theirs.grads).sort())
  expect(maxDiff(ours.value, theirs.value)).toBe(0)
  for (const name of Object.keys(theirs.grads))
    expect(maxDiff(ours.grads[name], theirs.grads[name])).toBeLessThan(1e-6)
  tf.dispose([ours.value, ...Object.values(ours.grads)])
  expect(tf.memory().numTensors).toBe(before)
  tf.dispose([theirs.value, ...Object.values(theirs.grads)])
}

describe('freeing backward pass', () => {
  it('drives the engine tapes of this tfjs (fails loudly if tfjs changes them)', () => {
    expect(() => tapeEngine()).not.toThrow()
  })

  it('equals tf.variableGrads on a graph with shared tensors, several outputs, a custom gradient and an unreached variable', () => {
    const w = tf.variable(tf.randomNormal([4, 6], 0, 1, 'float32', 1), true, 'fb.w')
    const b = tf.variable(tf.randomNormal([6], 0, 1, 'float32', 2), true, 'fb.b')
    const unused = tf.variable(tf.ones([3]), true, 'fb.unused')
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 3)
    const idx = tf.tensor1d([0, 2, 2, 4], 'int32')
    // A custom gradient that passes dy on unchanged: the same tensor stands for two gradients.
    const passThrough = tf.customGrad(((t: tf.Tensor) => ({
      value: tf.mul(t, 1),
      gradFunc: (dy: tf.Tensor) => dy,
    })) as unknown as Parameters<typeof tf.customGrad>[0])
    const loss = () =>
      tf.tidy(() => {
        const h = tf.relu(tf.add(tf.matMul(x, w), b)) // shared: used three times below
        const [left, right] = tf.split(h, 2, 1) // a kernel with two outputs
        const picked = tf.gather(h, idx, 1) // int indices: their input gets no gradient
        const z = passThrough(tf.mul(left, right)) as tf.Tensor
        return tf.add(tf.sum(tf.square(z)), tf.add(tf.mean(picked), tf.sum(tf.sigmoid(h)))) as tf.Scalar
      })
    expectSameGradients(loss, [w, b, unused])
    tf.dispose([w, b, unused, x, idx])
  })

  it('equals tf.grad with respect to an input and frees what tfjs keeps: a lower peak', () => {
    // A deep chain of layers, each in its own tidy as the models' blocks are, so the forward keeps only what
    // the backward needs: tfjs then keeps all 24 layers' activation gradients beside it to the end.
    const ws = Array.from({ length: 24 }, (_, i) =>
      tf.variable(tf.randomNormal([64, 64], 0, 0.15, 'float32', i)),
    )
    const x = tf.randomNormal([256, 64], 0, 1, 'float32', 99)
    const f = (input: tf.Tensor) => ws.reduce((h, w) => tf.tidy(() => tf.tanh(tf.matMul(h, w))), input)
    const loss = (input: tf.Tensor) => tf.sum(tf.square(f(input))) as tf.Scalar
    const theirs = bufferPeak(() => tf.grad(loss)(x))
    const ours = bufferPeak(() => freeingGradients(() => loss(x), [x]).grads[0]!)
    expect(maxDiff(ours.result, theirs.result)).toBeLessThan(1e-5)
    // Measured 4 Dec: 1.90 MB against tfjs's 5.05 MB (the 24 activations it must keep, 1.6 MB, plus a frontier
    // of gradients, against the activations plus all 48 gradients).
    console.log(`freeing backward: peak ${ours.peakBytes} B vs tfjs ${theirs.peakBytes} B`)
    expect(ours.peakBytes).toBeLessThan(0.5 * theirs.peakBytes)
    tf.dispose([ours.result, theirs.result, x, ...ws])
  })

  it('hands each weight gradient over once, as soon as it is final: the last layer first', () => {
    const ws = Array.from({ length: 6 }, (_, i) =>
      tf.variable(tf.randomNormal([8, 8], 0, 0.3, 'float32', 10 + i), true, `fb.chain${i}`),
    )
    // ws[2] is used twice (layers 2 and 4): its gradient is final only once layer 2 is walked.
    const uses = [0, 1, 2, 3, 2, 5]
    const x = tf.randomNormal([5, 8], 0, 1, 'float32', 7)
    const loss = () =>
      tf.tidy(() => tf.sum(tf.square(uses.reduce((h, k) => tf.tanh(tf.matMul(h, ws[k])), x as tf.Tensor))))
    const theirs = tf.variableGrads(loss as () => tf.Scalar, ws)
    const before = tf.memory().numTensors
    const handed: string[] = []
    const kept: Record<string, tf.Tensor> = {}
    const ours = freeingVariableGrads(loss as () => tf.Scalar, ws, (name, g) => {
      handed.push(name)
      kept[name] = tf.keep(g.clone())
    })
    // Walked from the loss back: layer 5, then 4 (ws[2]'s first use is still to come), 3, 2 (ws[2] final), 1, 0.
    expect(handed).toEqual(['fb.chain5', 'fb.chain3', 'fb.chain2', 'fb.chain1', 'fb.chain0'])
    expect(ours.grads).toEqual({})
    for (const name of handed) expect(maxDiff(kept[name], theirs.grads[name])).toBeLessThan(1e-6)
    tf.dispose([ours.value, ...Object.values(kept)])
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([theirs.value, ...Object.values(theirs.grads), x, ...ws])
  })

  it('refuses a loss that reaches none of the variables, and a kernel with no gradient', () => {
    const v = tf.variable(tf.ones([2]), true, 'fb.lonely')
    const before = tf.memory().numTensors
    expect(() => freeingVariableGrads(() => tf.scalar(1), [v])).toThrow(
      /does not depend on any of the variables/,
    )
    expect(() =>
      freeingVariableGrads(
        () => tf.sum(tf.cast(tf.equal(v, tf.onesLike(v)), 'float32')).mul(v.sum()) as tf.Scalar,
        [v],
      ),
    ).toThrow(/gradient function not found for Equal|gradient/)
    expect(tf.memory().numTensors).toBe(before)
    v.dispose()
  })
})
