import * as tf from '@tensorflow/tfjs'
import { expect, it } from 'vitest'
import { buildShapeOnly, type Module } from './nn/module'
import { above, gradientDiffs, referenceTensor, relativeMaxDiff, type TorchReference } from './torchParity'

/** A model the parity suite can build without weights and run forward. */
interface ParityModel extends Module {
  forward(x: tf.Tensor): tf.Tensor
}

/**
 * The checks every transformer (ViT, Swin, Swin-UNet) shares: against its PyTorch reference, the state
 * dict has exactly the reference's names and shapes, and the gradients of a weighted sum of the outputs
 * w.r.t. the input and every parameter match torch's within 1e-4 of their scale; stochastic depth acts
 * in training mode only; a forward and backward pass leaks no tensor. Call inside a `describe`; the
 * inference-mode outputs, which differ per model, stay in each model's own test.
 */
export function transformerParitySuite<M extends ParityModel>(options: {
  ref: TorchReference
  /** A model with the reference's configuration (weights unset). */
  build: () => M
  /** The model with the reference weights loaded, in inference mode. */
  loaded: () => M
  /** The reference model with stochastic depth at `rate` and the reference weights loaded. */
  withDropPath: (rate: number) => M
  /** For the leak check: a model with its training-time noise on, and every tensor its `forwardParts` returns. */
  leakCase: { build: () => M; parts: (model: M, x: tf.Tensor) => tf.Tensor[] }
}): void {
  const { ref, build, loaded, withDropPath, leakCase } = options
  it('has exactly the reference state-dict names and shapes', () => {
    const model = buildShapeOnly(build)
    const ours = [...model.stateDict()].map(([name, slot]) => `${name} [${slot.torchShape}]`).sort()
    const theirs = [...ref.weights.tensors.values()].map((e) => `${e.name} [${e.shape}]`).sort()
    expect(ours).toEqual(theirs)
  })

  it('matches the torch gradients of a scalar loss w.r.t. input and every parameter', () => {
    const model = loaded()
    const weights = referenceTensor(ref.io, 'loss_weights')
    const diffs = gradientDiffs(model, ref.io, referenceTensor(ref.io, 'input'), (x) =>
      tf.sum(tf.mul(model.forward(x), weights)),
    )
    expect(diffs.size).toBe(model.namedParameters().length + 1)
    expect(above(diffs, 1e-4)).toEqual({})
    weights.dispose()
    model.dispose()
  })

  it('applies stochastic depth only in training mode', () => {
    const model = withDropPath(0.9)
    const x = referenceTensor(ref.io, 'input')
    model.eval()
    const a = model.forward(x)
    expect(relativeMaxDiff(a, referenceTensor(ref.io, 'logits'))).toBeLessThan(1e-4)
    model.train()
    // The later blocks drop with p near 0.9 and scale kept branches by ~10: a training pass never equals eval.
    expect(relativeMaxDiff(model.forward(x), a)).toBeGreaterThan(1e-3)
    model.eval()
    expect(relativeMaxDiff(model.forward(x), a)).toBe(0)
    model.dispose()
  })

  it('leaks no tensors over a forward and backward pass', () => {
    const model = leakCase.build()
    const x = tf.randomNormal([2, 32, 32, 3])
    const before = tf.memory().numTensors
    const { value, grads } = tf.variableGrads(
      () => tf.mean(model.forward(x)) as tf.Scalar,
      model.parameters(),
    )
    value.dispose()
    tf.dispose(Object.values(grads))
    tf.dispose(leakCase.parts(model, x))
    expect(tf.memory().numTensors).toBe(before)
    x.dispose()
    model.dispose()
  })
}
