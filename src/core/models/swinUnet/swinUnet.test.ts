import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { readTorchReference, referenceTensor, relativeMaxDiff } from '../torchParity'
import { transformerParitySuite } from '../transformerParitySuite'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildSeeded, buildShapeOnly } from '../nn/module'
import { readSafetensorsFile } from '../nn/safetensorsFile'
import type { SafetensorsEntry } from '../nn/safetensors'
import { saveWeights } from '../nn/weightsFile'
import { SwinUnet } from './swinUnet'
import { swinUnetConfig } from './swinUnetConfig'
import { loadSwinUnetEncoder, loadSwinUnetWeights } from './swinUnetWeights'

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
  transformerParitySuite({
    ref,
    build: () => new SwinUnet(config),
    loaded,
    withDropPath: (rate) => {
      const model = new SwinUnet({ ...config, dropPathRate: rate })
      loadSwinUnetWeights(model, ref.weights)
      return model
    },
    leakCase: {
      build: () => new SwinUnet(config),
      parts: (model, x) => {
        const p = model.forwardParts(x)
        return [p.logits, p.embedding, p.bottleneck, p.decoded, ...p.skips]
      },
    },
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
})

describe('Swin-UNet encoder from a Swin classifier (swin_small fixture, torchvision names)', () => {
  const swin = readTorchReference('swin_small')
  // The classifier's encoder: 32 px, 2-px patches, width 12, stages 16/8/4 cells, window 4.
  const encoderConfig = swinUnetConfig('swinUnetTiny', {
    patchSize: 2,
    embedDim: 12,
    depths: [2, 2, 2],
    numHeads: [2, 4, 8],
    windowSize: 4,
  })

  it('reproduces the classifier features at the bottleneck and mirrors blocks into the decoder', () => {
    const model = new SwinUnet(encoderConfig).eval()
    const report = loadSwinUnetEncoder(model, swin.weights)
    const out = model.forwardParts(referenceTensor(swin.io, 'input'))
    expect(relativeMaxDiff(out.bottleneck, referenceTensor(swin.io, 'features'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.embedding, referenceTensor(swin.io, 'embedding'))).toBeLessThan(1e-4)
    // Stage 1's blocks (features.3) seed decoder stage layers_up.1, stage 0's (features.1) layers_up.2.
    const state = model.stateDict()
    const pairs = [
      ['layers_up.1.blocks.1.mlp.fc2.weight', 'features.3.1.mlp.3.weight'],
      ['layers_up.2.blocks.0.attn.qkv.weight', 'features.1.0.attn.qkv.weight'],
    ]
    for (const [decoder, classifier] of pairs) {
      expect(report.mirrored).toContain(decoder)
      const ours = tf.transpose(state.get(decoder)!.value)
      expect(relativeMaxDiff(ours, referenceTensor(swin.weights, classifier))).toBe(0)
    }
    expect(report.skipped).toEqual([])
    // Untouched: the skip linears, expansions and output conv keep their initial values.
    expect(report.missing).toContain('concat_back_dim.1.weight')
    expect(report.missing).toContain('output.weight')
    model.dispose()
  })

  it('skips blocks deeper than its stages (Swin-T stage 3 has 6, Swin-UNet 2) and can leave the decoder alone', () => {
    const model = new SwinUnet({ ...encoderConfig, depths: [2, 2, 1] })
    const report = loadSwinUnetEncoder(model, swin.weights, { mirrorDecoder: false })
    expect(report.mirrored).toEqual([])
    expect(report.skipped.length).toBeGreaterThan(0)
    expect(report.skipped.every((name) => name.startsWith('features.5.1.'))).toBe(true)
    model.dispose()
  })

  it('names what is missing, unexpected or mis-shaped', () => {
    const tensors = new Map(swin.weights.tensors)
    tensors.delete('features.0.2.bias')
    tensors.set('features.9.0.weight', { ...tensors.get('head.bias')!, name: 'features.9.0.weight' })
    const model = new SwinUnet(encoderConfig)
    expect(() =>
      loadSwinUnetEncoder(model, { ...swin.weights, source: 'swin_t.safetensors', tensors }),
    ).toThrow(
      /swin_t\.safetensors.*missing tensors: patch_embed\.norm\.bias.*unexpected tensors: features\.9\.0\.weight/,
    )
    const narrow = new SwinUnet({ ...encoderConfig, embedDim: 6, numHeads: [1, 2, 4] })
    expect(() => loadSwinUnetEncoder(narrow, swin.weights)).toThrow(/mis-shaped.*patch_embed\.proj\.weight/)
    model.dispose()
    narrow.dispose()
  })
})

describe('Swin-UNet presets and behaviour', () => {
  it('counts 27,168,228 parameters for the paper model with 2 classes (27,168,900 with 9, Cao et al.’s 27.17 M)', () => {
    expect(buildShapeOnly(() => new SwinUnet(swinUnetConfig('swinUnetT'))).parameterCount()).toBe(27_168_228)
    expect(
      buildShapeOnly(() => new SwinUnet(swinUnetConfig('swinUnetT', { numClasses: 9 }))).parameterCount(),
    ).toBe(27_168_900)
  })

  it('rejects grids that are not whole windows, naming the stage', () => {
    expect(() => swinUnetConfig('swinUnetT', { imageSize: 256 })).toThrow(
      /stage 0 grid 64 .* multiple of windowSize 7/,
    )
    expect(() => swinUnetConfig('swinUnetTiny', { numHeads: [1, 5, 4] })).toThrow(
      /stage 1 width 24 .* numHeads\[1\] = 5/,
    )
  })

  it('loads SSL4MIS checkpoints saved with the swin_unet. wrapper prefix and stored attention masks', () => {
    const tensors = new Map<string, SafetensorsEntry>()
    for (const [name, entry] of ref.weights.tensors)
      tensors.set(`swin_unet.${name}`, { ...entry, name: `swin_unet.${name}` })
    const mask = ref.weights.tensors.get('norm.bias')!
    tensors.set('swin_unet.layers.0.blocks.1.attn_mask', {
      ...mask,
      name: 'swin_unet.layers.0.blocks.1.attn_mask',
    })
    const model = new SwinUnet(config).eval()
    loadSwinUnetWeights(model, { ...ref.weights, tensors })
    expect(
      relativeMaxDiff(model.forward(referenceTensor(ref.io, 'input')), referenceTensor(ref.io, 'logits')),
    ).toBeLessThan(1e-4)
    model.dispose()
  })

  it('saves and reloads its own weights (integer index buffers included) to identical outputs', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-swinunet-')), 'weights.safetensors')
    const model = buildSeeded(3, () => new SwinUnet(config)).eval()
    saveWeights(model, file, { preset: 'swinUnetTiny' })
    const again = buildSeeded(4, () => new SwinUnet(config)).eval()
    const x = referenceTensor(ref.io, 'input')
    expect(relativeMaxDiff(again.forward(x), model.forward(x))).toBeGreaterThan(1e-3)
    loadSwinUnetWeights(again, readSafetensorsFile(file))
    expect(relativeMaxDiff(again.forward(x), model.forward(x))).toBe(0)
    fs.rmSync(path.dirname(file), { recursive: true, force: true })
    model.dispose()
    again.dispose()
  })

  it('repeats a one-channel batch to three channels, as SSL4MIS does', () => {
    const model = new SwinUnet(config).eval()
    const gray = tf.randomNormal([1, 32, 32, 1])
    const a = model.forward(gray)
    const b = model.forward(tf.tile(gray, [1, 1, 1, 3]))
    expect(relativeMaxDiff(a, b)).toBe(0)
    expect(() => model.forward(tf.zeros([1, 32, 32, 2]))).toThrow(/\[B, 32, 32, 3\]/)
    model.dispose()
  })
})
