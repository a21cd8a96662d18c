import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { ResNet } from './resnet'
import { resnetConfig } from './resnetConfig'
import type { ResNetPreset } from './resnetConfig'
import { buildShapeOnly, buildSeeded } from '../nn/module'
import { evalOutputError, loadReferenceWeights, readReferenceCase, trainStepErrors } from '../referenceCase'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('ResNet parameter counts (torchvision, 1000 classes)', () => {
  it.each([
    ['resnet18', 11_689_512],
    ['resnet34', 21_797_672],
    ['resnet50', 25_557_032],
  ] as [ResNetPreset, number][])('%s has %d parameters', (preset, count) => {
    const model = buildShapeOnly(() => new ResNet(resnetConfig(preset)))
    expect(model.parameterCount()).toBe(count)
  })

  it('names its tensors like torchvision', () => {
    const names = [
      ...buildShapeOnly(() => new ResNet(resnetConfig('resnet50')))
        .stateDict()
        .keys(),
    ]
    expect(names.slice(0, 6)).toEqual([
      'conv1.weight',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
      'layer1.0.conv1.weight',
    ])
    expect(names).toContain('layer1.0.downsample.0.weight')
    expect(names).toContain('layer4.2.bn3.running_var')
    expect(names.slice(-2)).toEqual(['fc.weight', 'fc.bias'])
  })
})

describe.each([
  ['resnet-tiny-basic', 'resnetTiny'],
  ['resnet-tiny-bottleneck', 'resnetTinyBottleneck'],
] as [string, ResNetPreset][])('parity with torchvision: %s', (caseName, preset) => {
  const ref = readReferenceCase(caseName)
  const build = () => {
    const model = new ResNet(resnetConfig(preset))
    loadReferenceWeights(model, ref)
    return model
  }

  it('matches the eval-mode logits', () => {
    const model = build()
    const error = evalOutputError(model, (x) => model.forward(x), ref)
    model.dispose()
    expect(error).toBeLessThan(1e-4)
  })

  it('matches train-mode BatchNorm: output, running statistics and gradients', () => {
    const model = build()
    const errors = trainStepErrors(model, (x) => model.forward(x), ref)
    model.dispose()
    expect(Object.keys(errors).filter((k) => k.startsWith('grad.')).length).toBeGreaterThan(3)
    expect(Object.keys(errors).filter((k) => k.startsWith('after_train.')).length).toBeGreaterThan(10)
    for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(1e-4)
  })
})

describe('ResNet features and memory', () => {
  it('exposes every stage at strides 2, 4, 8, 16, 32', () => {
    const model = buildSeeded(1, () => new ResNet(resnetConfig('resnetTinyBottleneck', { numClasses: null })))
    const shapes = tf.tidy(() => {
      const f = model.features(tf.zeros([1, 64, 64, 3]))
      return [f.stem, f.layer1, f.layer2, f.layer3, f.layer4].map((t) => t.shape)
    })
    expect(shapes).toEqual([
      [1, 32, 32, 8],
      [1, 16, 16, 16],
      [1, 8, 8, 32],
      [1, 4, 4, 64],
      [1, 2, 2, 128],
    ])
    expect(model.fc).toBeNull()
    expect(model.embeddingSize).toBe(128)
    model.dispose()
  })

  it('leaks no tensors across a forward and backward pass', () => {
    const model = buildSeeded(2, () => new ResNet(resnetConfig('resnetTiny')))
    const x = tf.randomNormal([2, 32, 32, 3])
    const before = tf.memory().numTensors
    const { grads, value } = tf.variableGrads(
      () => tf.mean(tf.square(model.forward(x))) as tf.Scalar,
      model.parameters(),
    )
    tf.dispose([value, ...Object.values(grads)])
    expect(tf.memory().numTensors).toBe(before)
    x.dispose()
    model.dispose()
  })

  it('replaces the head for fine-tuning', () => {
    const model = buildSeeded(3, () => new ResNet(resnetConfig('resnetTiny'))).eval()
    model.replaceHead(4)
    expect(model.stateDict().get('fc.weight')!.torchShape).toEqual([4, 64])
    const out = tf.tidy(() => model.forward(tf.zeros([1, 32, 32, 3])).shape)
    expect(out).toEqual([1, 4])
    model.dispose()
  })
})
