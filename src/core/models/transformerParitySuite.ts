import * as tf from '@tensorflow/tfjs'
import { expect, it } from 'vitest'
import { buildShapeOnly, type Module } from './nn/module'
import { above, gradientDiffs, referenceTensor, type TorchReference } from './torchParity'

/** A model the parity suite can build without weights and run forward. */
interface ParityModel extends Module {
  forward(x: tf.Tensor): tf.Tensor
}

/**
 * The two checks every transformer shares against its PyTorch reference: the state dict has exactly
 * the reference's names and shapes, and the gradients of a weighted sum of the outputs w.r.t. the input
 * and every parameter match torch's within 1e-4 of their scale. Call inside a `describe`; the
 * inference-mode outputs, which differ per model, stay in each model's own test.
 */
export function transformerParitySuite(options: {
  ref: TorchReference
  /** A model with the reference's configuration (weights unset). */
  build: () => ParityModel
  /** The model with the reference weights loaded, in inference mode. */
  loaded: () => ParityModel
}): void {
  const { ref, build, loaded } = options
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
}
