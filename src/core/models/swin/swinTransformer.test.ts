import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildShapeOnly } from '../nn/module'
import { loadStateDict } from '../nn/weights'
import {
  above,
  gradientDiffs,
  readTorchReference,
  referenceTensor,
  relativeMaxDiff,
} from '../vit/torchParity'
import { SwinTransformer } from './swinTransformer'
import { swinConfig } from './swinConfig'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const ref = readTorchReference('swin_small')
const config = swinConfig('swinTiny', ref.config)

function loaded(): SwinTransformer {
  const model = new SwinTransformer(config)
  loadStateDict(model, ref.weights)
  return model.eval()
}

describe('SwinTransformer vs torchvision (swin_small fixture)', () => {
  it('has exactly torchvision state-dict names and shapes', () => {
    const model = buildShapeOnly(() => new SwinTransformer(config))
    const ours = [...model.stateDict()].map(([name, slot]) => `${name} [${slot.torchShape}]`).sort()
    const theirs = [...ref.weights.tensors.values()].map((e) => `${e.name} [${e.shape}]`).sort()
    expect(ours).toEqual(theirs)
  })

  it('matches the torch outputs in inference mode', () => {
    const model = loaded()
    const out = model.forwardParts(referenceTensor(ref.io, 'input'))
    expect(relativeMaxDiff(out.logits!, referenceTensor(ref.io, 'logits'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.embedding, referenceTensor(ref.io, 'embedding'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.features, referenceTensor(ref.io, 'features'))).toBeLessThan(1e-4)
    expect(out.stages.map((s) => s.shape)).toEqual([
      [2, 16, 16, 12],
      [2, 8, 8, 24],
      [2, 4, 4, 48],
    ])
    model.dispose()
  })

  it('matches torch on a 40-px input (window padding, odd patch merging)', () => {
    const model = loaded()
    const logits = model.forward(referenceTensor(ref.io, 'input1'))
    expect(relativeMaxDiff(logits, referenceTensor(ref.io, 'logits1'))).toBeLessThan(1e-4)
    model.dispose()
  })

  it('matches the torch gradients of a scalar loss w.r.t. input and every parameter', () => {
    const model = loaded()
    const weights = referenceTensor(ref.io, 'loss_weights')
    const diffs = gradientDiffs(model, ref.io, referenceTensor(ref.io, 'input'), (x) =>
      tf.sum(tf.mul(model.forward(x), weights)),
    )
    expect(diffs.size).toBe(model.namedParameters().length + 1)
    expect(above(diffs, 1e-4)).toEqual({})
    model.dispose()
  })
})
