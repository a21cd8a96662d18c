import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { Unet } from './unet'
import { unetConfig } from './unetConfig'
import { buildSeeded, buildShapeOnly } from '../nn/module'
import { ResNet } from '../resnet/resnet'
import { resnetConfig } from '../resnet/resnetConfig'
import { exportStateDict, loadStateDict } from '../nn/weights'
import { evalOutputError, loadReferenceWeights, readReferenceCase, trainStepErrors } from '../referenceCase'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('U-Net with a ResNet-34 encoder (smp layout)', () => {
  it('has smp Unet(resnet34) parameter counts', () => {
    // smp.Unet('resnet34', classes=1) has 24,436,369 parameters; each extra class adds 16·9 + 1.
    expect(buildShapeOnly(() => new Unet(unetConfig('unetResnet34', { classes: 1 }))).parameterCount()).toBe(
      24_436_369,
    )
    expect(buildShapeOnly(() => new Unet(unetConfig('unetResnet34'))).parameterCount()).toBe(24_436_514)
  })

  it('names its tensors like smp', () => {
    const names = [
      ...buildShapeOnly(() => new Unet(unetConfig('unetResnet34')))
        .stateDict()
        .keys(),
    ]
    expect(names).toContain('encoder.layer4.2.bn2.running_var')
    expect(names).toContain('decoder.blocks.0.conv1.0.weight')
    expect(names).toContain('decoder.blocks.4.conv2.1.running_mean')
    expect(names.slice(-2)).toEqual(['segmentation_head.0.weight', 'segmentation_head.0.bias'])
    expect(names.some((n) => n.startsWith('encoder.fc'))).toBe(false)
  })
})

describe('parity with the PyTorch reference: unet-tiny', () => {
  const ref = readReferenceCase('unet-tiny')
  const build = () => {
    const model = new Unet(unetConfig('unetTiny', { classes: 3 }))
    loadReferenceWeights(model, ref)
    return model
  }

  it('matches the eval-mode per-pixel logits', () => {
    const model = build()
    const error = evalOutputError(model, (x) => model.forward(x), ref)
    model.dispose()
    expect(error).toBeLessThan(1e-4)
  })

  it('matches the train-mode output, running statistics and gradients', () => {
    const model = build()
    const errors = trainStepErrors(model, (x) => model.forward(x), ref)
    model.dispose()
    expect(Object.keys(errors).filter((k) => k.startsWith('grad.')).length).toBeGreaterThan(4)
    for (const [name, error] of Object.entries(errors)) expect(error, name).toBeLessThan(1e-4)
  })
})

describe('U-Net behaviour', () => {
  it('gives logits at the input resolution and rejects sides not divisible by 32', () => {
    const model = buildSeeded(4, () => new Unet(unetConfig('unetTiny'))).eval()
    expect(tf.tidy(() => model.forward(tf.zeros([1, 64, 32, 3])).shape)).toEqual([1, 64, 32, 2])
    expect(() => model.forward(tf.zeros([1, 40, 32, 3]))).toThrow(/divisible by 32/)
    model.dispose()
  })

  it('loads an ImageNet-style ResNet (with fc) into its encoder, skipping the head', () => {
    const resnet = buildSeeded(5, () => new ResNet(resnetConfig('resnetTiny')))
    const file = { source: 'resnet.safetensors', metadata: {}, tensors: new Map() }
    for (const [name, t] of exportStateDict(resnet)) {
      file.tensors.set(name, { name, dtype: 'F32', shape: t.shape, toFloat32: () => t.data })
    }
    const unet = buildSeeded(6, () => new Unet(unetConfig('unetTiny')))
    expect(() => loadStateDict(unet.encoder, file)).toThrow(/unexpected tensors: fc.weight, fc.bias/)
    const report = loadStateDict(unet.encoder, file, { strict: false })
    expect(report.unexpected).toEqual(['fc.weight', 'fc.bias'])
    expect(report.missing).toEqual([])
    const same = tf.tidy(
      () => tf.max(tf.abs(tf.sub(unet.encoder.conv1.weight.value, resnet.conv1.weight.value))).dataSync()[0],
    )
    expect(same).toBe(0)
    resnet.dispose()
    unet.dispose()
  })

  it('leaks no tensors across a forward and backward pass', () => {
    const model = buildSeeded(7, () => new Unet(unetConfig('unetTiny')))
    const x = tf.randomNormal([2, 32, 32, 3])
    const before = tf.memory().numTensors
    const { grads, value } = tf.variableGrads(
      () => tf.mean(model.forward(x)) as tf.Scalar,
      model.parameters(),
    )
    tf.dispose([value, ...Object.values(grads)])
    expect(tf.memory().numTensors).toBe(before)
    x.dispose()
    model.dispose()
  })
})
