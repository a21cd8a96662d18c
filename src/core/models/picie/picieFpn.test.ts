import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { PicieFpn } from './picieFpn'
import { picieFpnConfig } from './picieFpnConfig'
import { buildSeeded, buildShapeOnly } from '../nn/module'
import { evalOutputError, loadReferenceWeights, readReferenceCase, trainStepErrors } from '../referenceCase'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('PiCIE ResNet-18 FPN', () => {
  it('has the ResNet-18 backbone plus four 1×1 laterals to 128 channels', () => {
    const model = buildShapeOnly(() => new PicieFpn(picieFpnConfig('picieResnet18')))
    // resnet18 without fc: 11,689,512 − 513,000; laterals: (64+128+256+512)·128 + 4·128
    expect(model.parameterCount()).toBe(11_689_512 - 513_000 + 960 * 128 + 4 * 128)
    const names = [...model.stateDict().keys()]
    expect(names).toContain('backbone.layer4.1.bn2.running_var')
    expect(names.slice(-8)).toEqual([
      'decoder.layer4.weight',
      'decoder.layer4.bias',
      'decoder.layer3.weight',
      'decoder.layer3.bias',
      'decoder.layer2.weight',
      'decoder.layer2.bias',
      'decoder.layer1.weight',
      'decoder.layer1.bias',
    ])
  })

  it('gives unit-length per-pixel embeddings at stride 4', () => {
    const model = buildSeeded(8, () => new PicieFpn(picieFpnConfig('picieTiny'))).eval()
    const [shape, norms] = tf.tidy(() => {
      const e = model.pixelEmbeddings(tf.randomNormal([1, 64, 32, 3], 0, 1, 'float32', 3))
      return [e.shape, Array.from(tf.norm(e, 'euclidean', -1).dataSync())]
    })
    expect(shape).toEqual([1, 16, 8, 16])
    for (const n of norms as number[]) expect(n).toBeCloseTo(1, 5)
    model.dispose()
  })
})

describe('parity with the PyTorch reference: picie-fpn-tiny', () => {
  const ref = readReferenceCase('picie-fpn-tiny')
  const build = () => {
    const model = new PicieFpn(picieFpnConfig('picieTiny'))
    loadReferenceWeights(model, ref)
    return model
  }

  it('matches the eval-mode features (bilinear upsample-add included)', () => {
    const model = build()
    const error = evalOutputError(model, (x) => model.forward(x), ref)
    model.dispose()
    expect(error).toBeLessThan(1e-4)
  })

  it('matches the train-mode output and gradients', () => {
    const model = build()
    const errors = trainStepErrors(model, (x) => model.forward(x), ref)
    model.dispose()
    expect(Object.keys(errors).filter((k) => k.startsWith('grad.')).length).toBeGreaterThan(4)
    for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(1e-4)
  })
})
