import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { readTorchReference, referenceTensor, relativeMaxDiff } from '../torchParity'
import { transformerParitySuite } from '../transformerParitySuite'
import { buildShapeOnly } from '../nn/module'
import type { SafetensorsEntry } from '../nn/safetensors'
import { loadStateDict } from '../nn/weights'
import { stochasticDepthRates, SwinTransformer } from './swinTransformer'
import { loadSwinWeights, swinNamingOf } from './swinWeights'
import { relativePositionIndex, shiftedWindowMask } from './shiftedWindowAttention'
import { roll } from './roll'
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
  transformerParitySuite({
    ref,
    build: () => new SwinTransformer(config),
    loaded,
    withDropPath: (rate) => {
      const model = new SwinTransformer({ ...config, stochasticDepthProb: rate })
      loadStateDict(model, ref.weights)
      return model
    },
    leakCase: {
      build: () => new SwinTransformer(config),
      parts: (model, x) => {
        const p = model.forwardParts(x)
        return [p.logits!, p.embedding, p.features, ...p.stages]
      },
    },
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
})

describe('Swin weights from other namings', () => {
  // Microsoft/timm names written out by hand (the Swin release's BasicLayer layout): an independent statement.
  function layeredName(name: string, timm: boolean): string {
    const embed: Record<string, string> = {
      'features.0.0.weight': 'patch_embed.proj.weight',
      'features.0.0.bias': 'patch_embed.proj.bias',
      'features.0.2.weight': 'patch_embed.norm.weight',
      'features.0.2.bias': 'patch_embed.norm.bias',
      'head.weight': timm ? 'head.fc.weight' : 'head.weight',
      'head.bias': timm ? 'head.fc.bias' : 'head.bias',
    }
    if (embed[name]) return embed[name]
    const m = /^features\.(\d+)\.(.*)$/.exec(name)
    if (!m) return name
    const index = Number(m[1])
    if (index % 2 === 1) {
      const [block, ...rest] = m[2].split('.')
      const tail = rest.join('.').replace('mlp.0.', 'mlp.fc1.').replace('mlp.3.', 'mlp.fc2.')
      return `layers.${(index - 1) / 2}.blocks.${block}.${tail}`
    }
    // features.2 merges stage 0 into stage 1: Microsoft files it under layers.0, timm ≥ 0.9 under layers.1.
    return `layers.${timm ? index / 2 : index / 2 - 1}.downsample.${m[2]}`
  }

  for (const timm of [false, true]) {
    it(`loads ${timm ? 'timm ≥ 0.9' : 'Microsoft / old timm'} names (no index buffers, stored masks) to the same outputs`, () => {
      const tensors = new Map<string, SafetensorsEntry>()
      for (const [name, entry] of ref.weights.tensors) {
        if (timm && name.endsWith('relative_position_index')) continue
        const to = layeredName(name, timm)
        tensors.set(to, { ...entry, name: to })
      }
      const mask = ref.weights.tensors.get('head.bias')!
      tensors.set('layers.0.blocks.1.attn_mask', { ...mask, name: 'layers.0.blocks.1.attn_mask' })
      const file = { ...ref.weights, tensors }
      expect(swinNamingOf(tensors.keys())).toBe(timm ? 'timm' : 'microsoft')
      const model = new SwinTransformer(config).eval()
      const report = loadSwinWeights(model, file)
      expect(report.loaded.length).toBe(model.stateDict().size)
      expect(
        relativeMaxDiff(model.forward(referenceTensor(ref.io, 'input')), referenceTensor(ref.io, 'logits')),
      ).toBeLessThan(1e-4)
      model.dispose()
    })
  }

  it('names missing, unexpected and mis-shaped tensors', () => {
    const tensors = new Map(ref.weights.tensors)
    tensors.delete('features.3.1.norm2.bias')
    const table = tensors.get('features.1.0.attn.relative_position_bias_table')!
    tensors.set('features.1.0.attn.relative_position_bias_table', {
      ...table,
      shape: [table.shape[1], table.shape[0]],
    })
    tensors.set('head.extra', { ...tensors.get('head.bias')!, name: 'head.extra' })
    const model = new SwinTransformer(config)
    expect(() => loadSwinWeights(model, { ...ref.weights, source: 'swin.safetensors', tensors })).toThrow(
      /swin\.safetensors.*mis-shaped.*features\.1\.0\.attn\.relative_position_bias_table \[2,49\] vs \[49,2\].*missing.*features\.3\.1\.norm2\.bias.*unexpected.*head\.extra/,
    )
    model.dispose()
  })
})

describe('Swin presets and training behaviour', () => {
  it('swin_t has torchvision parameter count 28,288,354', () => {
    expect(buildShapeOnly(() => new SwinTransformer(swinConfig('swinT'))).parameterCount()).toBe(28_288_354)
  })

  it('rejects heads that do not split a stage evenly or do not match the stages, naming the stage', () => {
    expect(() => swinConfig('swinTiny', { numHeads: [2, 5, 8] })).toThrow(
      /stage 1 width 24 .* numHeads\[1\] = 5/,
    )
    expect(() => swinConfig('swinTiny', { numHeads: [2, 4] })).toThrow(
      /numHeads needs one entry per stage \(3\)/,
    )
  })

  it('spreads stochastic depth 0 → rate over all blocks', () => {
    expect(stochasticDepthRates([2, 2, 6, 2], 0.2).map((r) => +r.toFixed(6))).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((k) => +((0.2 * k) / 11).toFixed(6)),
    )
  })
})

describe('shifted-window pieces, by hand', () => {
  it('roll moves element i to i + shift like torch.roll', () => {
    const x = tf.tensor1d([0, 1, 2, 3, 4])
    expect(Array.from(roll(x, 2, 0).dataSync())).toEqual([3, 4, 0, 1, 2])
    expect(Array.from(roll(x, -1, 0).dataSync())).toEqual([1, 2, 3, 4, 0])
    expect(Array.from(roll(x, 5, 0).dataSync())).toEqual([0, 1, 2, 3, 4])
  })

  it('relative position index of a 2×2 window', () => {
    // Positions (0,0) (0,1) (1,0) (1,1); index = (dy + 1)·3 + dx + 1.
    expect(Array.from(relativePositionIndex(2))).toEqual([4, 3, 1, 0, 5, 4, 2, 1, 7, 6, 4, 3, 8, 7, 5, 4])
  })

  it('mask of a 4×4 map, window 2, shift 1', () => {
    const mask = shiftedWindowMask(4, 4, 2, 1, 1)
    const window = (w: number) => Array.from(mask.slice(w * 16, w * 16 + 16))
    const o = 0
    const x = -100
    // Top-left window lies in one region; top-right spans column regions 1 | 2; bottom-right four regions.
    expect(window(0)).toEqual(Array(16).fill(0))
    expect(window(1)).toEqual([o, x, o, x, x, o, x, o, o, x, o, x, x, o, x, o])
    expect(window(3)).toEqual([o, x, x, x, x, o, x, x, x, x, o, x, x, x, x, o])
  })
})
