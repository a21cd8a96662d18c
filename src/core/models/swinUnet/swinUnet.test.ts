import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildShapeOnly } from '../nn/module'
import {
  above,
  gradientDiffs,
  readTorchReference,
  referenceTensor,
  relativeMaxDiff,
} from '../vit/torchParity'
import { SwinUnet } from './swinUnet'
import { swinUnetConfig } from './swinUnetConfig'
import { loadSwinUnetWeights } from './swinUnetWeights'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const ref = readTorchReference('swin_unet_small')
const config = swinUnetConfig('swinUnetTiny', ref.config)

function loaded(): SwinUnet {
  const model = new SwinUnet(config)
  loadSwinUnetWeights(model, ref.weights)
  return model.eval()
}

describe('SwinUnet vs a torch Swin-UNet built from torchvision blocks (swin_unet_small fixture)', () => {
  it('has exactly the reference state-dict names and shapes', () => {
    const model = buildShapeOnly(() => new SwinUnet(config))
    const ours = [...model.stateDict()].map(([name, slot]) => `${name} [${slot.torchShape}]`).sort()
    const theirs = [...ref.weights.tensors.values()].map((e) => `${e.name} [${e.shape}]`).sort()
    expect(ours).toEqual(theirs)
  })

  it('matches the torch outputs in inference mode', () => {
    const model = loaded()
    const out = model.forwardParts(referenceTensor(ref.io, 'input'))
    expect(out.logits.shape).toEqual([2, 32, 32, 2])
    expect(relativeMaxDiff(out.logits, referenceTensor(ref.io, 'logits'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.embedding, referenceTensor(ref.io, 'embedding'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.bottleneck, referenceTensor(ref.io, 'features'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.decoded, referenceTensor(ref.io, 'decoded'))).toBeLessThan(1e-4)
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
