import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { readTorchReference, referenceTensor, relativeMaxDiff } from '../torchParity'
import { transformerParitySuite } from '../transformerParitySuite'
import { buildSeeded, buildShapeOnly } from '../nn/module'
import type { SafetensorsEntry, SafetensorsFile } from '../nn/safetensors'
import { loadStateDict, WeightsMismatchError } from '../nn/weights'
import { VisionTransformer } from './visionTransformer'
import { vitConfig } from './vitConfig'
import { loadVitWeights, renameTensors } from './vitWeights'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const ref = readTorchReference('vit_small')
const config = vitConfig('vitTiny', ref.config)

function loaded(file: SafetensorsFile = ref.weights): VisionTransformer {
  const model = new VisionTransformer(config)
  loadStateDict(model, file)
  return model.eval()
}

describe('VisionTransformer vs torchvision (vit_small fixture)', () => {
  transformerParitySuite({
    ref,
    build: () => new VisionTransformer(config),
    loaded,
    withDropPath: (rate) => {
      const model = new VisionTransformer({ ...config, dropPathRate: rate })
      loadStateDict(model, ref.weights)
      return model
    },
    leakCase: {
      build: () => new VisionTransformer({ ...config, dropPathRate: 0.2, dropout: 0.1 }),
      parts: (model, x) => {
        const p = model.forwardParts(x)
        return [p.logits!, p.embedding, p.tokens]
      },
    },
  })

  it('matches the torch outputs in inference mode', () => {
    const model = loaded()
    const out = model.forwardParts(referenceTensor(ref.io, 'input'))
    expect(relativeMaxDiff(out.logits!, referenceTensor(ref.io, 'logits'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.embedding, referenceTensor(ref.io, 'embedding'))).toBeLessThan(1e-4)
    expect(relativeMaxDiff(out.tokens, referenceTensor(ref.io, 'features'))).toBeLessThan(1e-4)
    model.dispose()
  })
})

describe('ViT presets', () => {
  it('have torchvision parameter counts (ViT-B/16 86,567,656; at 384 px 86,859,496)', () => {
    expect(buildShapeOnly(() => new VisionTransformer(vitConfig('vitB16'))).parameterCount()).toBe(86_567_656)
    expect(buildShapeOnly(() => new VisionTransformer(vitConfig('vitB16At384'))).parameterCount()).toBe(
      86_859_496,
    )
  })

  it('sizes the position embedding from the image size and rejects inputs off the patch grid', () => {
    const model = buildShapeOnly(() => new VisionTransformer(vitConfig('vitB16At384')))
    expect(model.encoder.posEmbedding.shape).toEqual([1, 24 * 24 + 1, 768])
    const tiny = new VisionTransformer(config)
    expect(() => tiny.forward(tf.zeros([1, 36, 36, 3]))).toThrow(/multiples of 8, got \[1,36,36,3\]/)
    expect(() => tiny.forward(tf.zeros([1, 32, 32, 1]))).toThrow(/\[B, H, W, 3\]/)
    tiny.dispose()
  })

  it('runs other input sizes (DINO local crops) with the position grid resampled as weight loading does', () => {
    const model = loaded()
    const wide = new VisionTransformer({ ...config, imageSize: 64 }).eval()
    loadVitWeights(wide, ref.weights, { resizePosEmbedding: true })
    const x = tf.randomNormal([2, 64, 64, 3], 0, 1, 'float32', 5)
    const parts = model.forwardParts(x)
    expect(parts.tokens.shape).toEqual([2, 8, 8, 64])
    expect(relativeMaxDiff(parts.logits!, wide.forward(x))).toBeLessThan(1e-5)
    const local = model.forwardParts(tf.randomNormal([2, 16, 24, 3]))
    expect(local.tokens.shape).toEqual([2, 2, 3, 64])
    model.dispose()
    wide.dispose()
  })

  it('rejects inconsistent configs naming the field', () => {
    expect(() => vitConfig('vitTiny', { imageSize: 30 })).toThrow(
      /imageSize 30 is not divisible by patchSize 8/,
    )
    expect(() => vitConfig('vitTiny', { numHeads: 3 })).toThrow(/hiddenDim 64 is not divisible by numHeads 3/)
  })
})

describe('ViT weights', () => {
  // timm's names written out by hand (vision_transformer.py): an independent statement of the mapping.
  function timmName(name: string): string {
    const block = /^encoder\.layers\.encoder_layer_(\d+)\.(.*)$/.exec(name)
    if (block) {
      const rest = block[2]
        .replace(/^ln_1\./, 'norm1.')
        .replace(/^ln_2\./, 'norm2.')
        .replace(/^self_attention\.in_proj_weight$/, 'attn.qkv.weight')
        .replace(/^self_attention\.in_proj_bias$/, 'attn.qkv.bias')
        .replace(/^self_attention\.out_proj\./, 'attn.proj.')
        .replace(/^mlp\.0\./, 'mlp.fc1.')
        .replace(/^mlp\.3\./, 'mlp.fc2.')
      return `blocks.${block[1]}.${rest}`
    }
    const top: Record<string, string> = {
      class_token: 'cls_token',
      'encoder.pos_embedding': 'pos_embed',
      'conv_proj.weight': 'patch_embed.proj.weight',
      'conv_proj.bias': 'patch_embed.proj.bias',
      'encoder.ln.weight': 'norm.weight',
      'encoder.ln.bias': 'norm.bias',
      'heads.head.weight': 'head.weight',
      'heads.head.bias': 'head.bias',
    }
    return top[name] ?? name
  }

  it('loads timm-named weights to the same outputs', () => {
    const timmFile = renameTensors(ref.weights, timmName)
    expect(timmFile.tensors.has('blocks.1.attn.qkv.weight')).toBe(true)
    const model = new VisionTransformer(config).eval()
    const report = loadVitWeights(model, timmFile)
    expect(report.loaded.length).toBe(model.stateDict().size)
    const logits = model.forward(referenceTensor(ref.io, 'input'))
    expect(relativeMaxDiff(logits, referenceTensor(ref.io, 'logits'))).toBeLessThan(1e-4)
    model.dispose()
  })

  it('names missing, unexpected and mis-shaped tensors in one error', () => {
    const tensors = new Map(ref.weights.tensors)
    tensors.delete('encoder.ln.weight')
    const extra = tensors.get('encoder.ln.bias')!
    tensors.set('encoder.ln.extra', { ...extra, name: 'encoder.ln.extra' })
    const token = tensors.get('class_token')!
    const bad: SafetensorsEntry = {
      name: 'class_token',
      dtype: 'F32',
      shape: [1, 64],
      toFloat32: token.toFloat32,
    }
    tensors.set('class_token', bad)
    const model = new VisionTransformer(config)
    let error: unknown
    try {
      loadVitWeights(model, { ...ref.weights, source: 'broken.safetensors', tensors })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(WeightsMismatchError)
    const message = (error as Error).message
    expect(message).toContain('broken.safetensors')
    expect(message).toMatch(/mis-shaped.*class_token \[1,64\] vs \[1,1,64\]/)
    expect(message).toMatch(/missing.*encoder\.ln\.weight/)
    expect(message).toMatch(/unexpected.*encoder\.ln\.extra/)
    model.dispose()
  })

  it('resamples a position embedding for another image size on request', () => {
    const big = new VisionTransformer({ ...config, imageSize: 64 })
    expect(() => loadVitWeights(big, ref.weights)).toThrow(
      /encoder\.pos_embedding \[1,17,64\] vs \[1,65,64\]/,
    )
    loadVitWeights(big, ref.weights, { resizePosEmbedding: true })
    const source = referenceTensor(ref.weights, 'encoder.pos_embedding').reshape([17, 64])
    const resized = big.encoder.posEmbedding.value.reshape([65, 64])
    // torch-style bilinear (align_corners=False) ×2 keeps the class token and the four corner cells.
    for (const [to, from] of [
      [0, 0],
      [1, 1],
      [8, 4],
      [57, 13],
      [64, 16],
    ]) {
      expect(relativeMaxDiff(resized.slice([to, 0], [1, 64]), source.slice([from, 0], [1, 64]))).toBeLessThan(
        1e-6,
      )
    }
    // An inner cell is a blend, not a copy.
    expect(relativeMaxDiff(resized.slice([2, 0], [1, 64]), source.slice([1, 0], [1, 64]))).toBeGreaterThan(
      1e-3,
    )
    big.dispose()
  })
})

describe('ViT training behaviour', () => {
  it('builds reproducibly from a seed', () => {
    const one = buildSeeded(7, () => new VisionTransformer(config))
    const two = buildSeeded(7, () => new VisionTransformer(config))
    const name = 'encoder.layers.encoder_layer_1.self_attention.in_proj_weight'
    expect(relativeMaxDiff(one.stateDict().get(name)!.value, two.stateDict().get(name)!.value)).toBe(0)
    one.dispose()
    two.dispose()
  })
})
