import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSafetensorsFile } from '../../models/nn/safetensorsFile'
import { exportStateDict } from '../../models/nn/weights'
import { importedImagenetWeights } from '../../models/pretrained/importedImagenetWeights'
import { buildClassifier, captureBackbone, initFromImagenet, loadBackbone } from './classifierNet'

let dir: string
beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-classifier-init-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** An "ImageNet" ResNet-50 file holding the stem conv and the 1000-class head, in torchvision naming. */
function imagenetFile(): Float32Array {
  const conv = Float32Array.from({ length: 64 * 3 * 7 * 7 }, (_, i) => Math.sin(i))
  writeSafetensorsFile(
    path.join(dir, 'r50.safetensors'),
    new Map([
      ['conv1.weight', { shape: [64, 3, 7, 7], data: conv }],
      ['fc.weight', { shape: [1000, 2048], data: new Float32Array(1000 * 2048).fill(0.5) }],
      ['fc.bias', { shape: [1000], data: new Float32Array(1000) }],
    ]),
  )
  const entry = {
    architecture: 'resnet50',
    file: 'r50.safetensors',
    sha256: 'x',
    bytes: 1,
    importedFrom: 'test',
    importedAt: '2026-01-01T00:00:00Z',
  }
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify([entry]))
  return conv
}

describe('classifier backbones', () => {
  // Building ResNet-50 takes ~30 s on a shared 2-core machine: with the paper-sized parity tests.
  it.runIf(process.env.S4MI_PARITY_FULL === '1')(
    'ResNet-50 starts from the imported ImageNet weights; the head stays fresh for the project classes',
    async () => {
      const conv = imagenetFile()
      const net = buildClassifier({ backbone: 'resnet50', classes: 3, seed: 1 })
      try {
        const start = initFromImagenet(net, await importedImagenetWeights('resnet50', dir))
        expect(start).toEqual({ kind: 'imagenet', from: path.join(dir, 'r50.safetensors') })
        const loaded = exportStateDict(net.module)
        expect(Array.from(loaded.get('conv1.weight')!.data.slice(0, 20))).toEqual(
          Array.from(conv.slice(0, 20)),
        )
        expect(loaded.get('fc.weight')!.shape).toEqual([3, 2048])
        expect(loaded.get('fc.weight')!.data.every((v) => v === 0.5)).toBe(false)
      } finally {
        net.dispose()
      }
    },
  )

  it('without imported weights, or for a small preset, says it starts from random weights', async () => {
    const vit = buildClassifier({ backbone: 'vit_tiny', classes: 2, seed: 1 })
    expect(initFromImagenet(vit, null)).toEqual({
      kind: 'random',
      note: expect.stringMatching(/small presets/),
    })
    vit.dispose()
    const empty = fs.mkdtempSync(path.join(dir, 'none-'))
    expect(await importedImagenetWeights('resnet50', empty)).toBeNull()
    const r50 = {
      ...buildClassifier({ backbone: 'resnet_tiny', classes: 2, seed: 1 }),
      backbone: 'resnet50' as const,
    }
    expect(initFromImagenet(r50, null)).toEqual({
      kind: 'random',
      note: expect.stringMatching(/no resnet50 ImageNet weights imported/),
    })
    r50.dispose()
  })

  it('a backbone carries over by name without its head; a ViT gives [N, classes] logits at its size', () => {
    const a = buildClassifier({ backbone: 'vit_tiny', classes: 5, imageSize: 16, seed: 1 })
    const b = buildClassifier({ backbone: 'vit_tiny', classes: 2, imageSize: 16, seed: 2 })
    const state = captureBackbone(a)
    expect(Object.keys(state).some((k) => k.startsWith('heads.'))).toBe(false)
    loadBackbone(b, state)
    const x = tf.randomNormal([2, 16, 16, 3]) as tf.Tensor4D
    const ea = a.embed(x)
    const eb = b.embed(x)
    expect(Array.from(eb.dataSync())).toEqual(Array.from(ea.dataSync()))
    const logits = b.forward(x)
    expect(logits.shape).toEqual([2, 2])
    tf.dispose([x, ea, eb, logits])
    a.dispose()
    b.dispose()
  })
})
