import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildShapeOnly, buildSeeded } from '../nn/module'
import { loadStateDict } from '../nn/weights'
import { VisionTransformer } from './visionTransformer'
import { vitConfig } from './vitConfig'
import { above, gradientDiffs, readTorchReference, referenceTensor, relativeMaxDiff } from './torchParity'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('VisionTransformer vs torchvision (vit_small fixture)', () => {
  const ref = readTorchReference('vit_small')
  const config = vitConfig('vitTiny', ref.config)

  it('matches the torch outputs in inference mode', () => {
    const model = new VisionTransformer(config)
    loadStateDict(model, ref.weights)
    model.eval()
    const x = referenceTensor(ref.io, 'input')
    const out = model.forwardParts(x)
    expect(relativeMaxDiff(out.logits!, referenceTensor(ref.io, 'logits'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.embedding, referenceTensor(ref.io, 'embedding'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.tokens, referenceTensor(ref.io, 'features'))).toBeLessThan(1e-4)
    model.dispose()
  })

  it('matches the torch gradients of a scalar loss w.r.t. input and every parameter', () => {
    const model = new VisionTransformer(config)
    loadStateDict(model, ref.weights)
    model.eval()
    const weights = referenceTensor(ref.io, 'loss_weights')
    const diffs = gradientDiffs(model, ref.io, referenceTensor(ref.io, 'input'), (x) =>
      tf.sum(tf.mul(model.forward(x), weights)),
    )
    expect(diffs.size).toBe(model.namedParameters().length + 1)
    expect(above(diffs, 1e-4)).toEqual({})
    model.dispose()
  })
})
