import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildShapeOnly } from '../nn/module'
import { encodeSafetensors, parseSafetensors } from '../nn/safetensors'
import type { Float32Tensor } from '../nn/safetensors'
import { ResNet } from '../resnet/resnet'
import { resnetConfig } from '../resnet/resnetConfig'
import { fixtureDir } from '../referenceCase'
import { identifyArchitecture } from './pretrainedArchitectures'
import { cachedWeightsPath, importPretrainedWeights, listCachedWeights } from './pretrainedCache'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-pretrained-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** A torchvision-named ResNet-18 file (zeros: only names and shapes matter here), optionally headless. */
function resnet18File(withHead: boolean, fill = 0): Uint8Array {
  const model = buildShapeOnly(() => new ResNet(resnetConfig('resnet18')))
  const tensors = new Map<string, Float32Tensor>()
  for (const [name, slot] of model.stateDict()) {
    if (!withHead && name.startsWith('fc.')) continue
    tensors.set(name, { shape: slot.torchShape, data: new Float32Array(slot.size).fill(fill) })
  }
  tensors.set('bn1.num_batches_tracked', { shape: [], data: Float32Array.from([0]) })
  return encodeSafetensors(tensors)
}

describe('pretrained weights', () => {
  it('recognises a ResNet-18 file with or without its fc head', () => {
    for (const withHead of [true, false]) {
      const { match } = identifyArchitecture(parseSafetensors(resnet18File(withHead), 'r18.safetensors'))
      expect(match?.architecture.id).toBe('resnet18')
      expect(match?.coverage).toBe(1)
    }
  })

  it('imports files and folders into the cache once, by content hash, and rejects others with reasons', () => {
    const source = path.join(tmp, 'downloads')
    fs.mkdirSync(source)
    fs.writeFileSync(path.join(source, 'resnet18-imagenet.safetensors'), resnet18File(true))
    fs.writeFileSync(path.join(source, 'broken.safetensors'), new Uint8Array([1, 2, 3]))
    fs.writeFileSync(path.join(source, 'notes.txt'), 'ignored')
    const cache = path.join(tmp, 'cache')
    const tiny = path.join(fixtureDir, 'resnet-tiny-basic.weights.safetensors')

    const first = importPretrainedWeights(
      [source, tiny, path.join(tmp, 'nope')],
      cache,
      new Date('2026-01-01'),
    )
    expect(first.imported.map((e) => e.architecture)).toEqual(['resnet18'])
    const reasons = Object.fromEntries(first.rejected.map((r) => [path.basename(r.path), r.reason]))
    expect(reasons['broken.safetensors']).toMatch(/broken\.safetensors: not a valid safetensors file/)
    expect(reasons['resnet-tiny-basic.weights.safetensors']).toMatch(
      /not a supported ImageNet backbone .*Closest: ResNet-18 .*, 0% of its tensors; .*bn1\.bias \[8\] vs \[64\]/,
    )
    expect(reasons['nope']).toMatch(/no such file or folder/)

    const cached = cachedWeightsPath(cache, 'resnet18')!
    expect(path.basename(cached)).toMatch(/^resnet18-[0-9a-f]{16}\.safetensors$/)
    expect(
      fs.readFileSync(cached).equals(fs.readFileSync(path.join(source, 'resnet18-imagenet.safetensors'))),
    ).toBe(true)
    expect(cachedWeightsPath(cache, 'resnet50')).toBeNull()

    // Same bytes again: no second copy. Different weights: a second entry, the newest wins.
    importPretrainedWeights(
      [path.join(source, 'resnet18-imagenet.safetensors')],
      cache,
      new Date('2026-01-02'),
    )
    expect(listCachedWeights(cache)).toHaveLength(1)
    fs.writeFileSync(path.join(tmp, 'other.safetensors'), resnet18File(false, 0.5))
    importPretrainedWeights([path.join(tmp, 'other.safetensors')], cache, new Date('2026-01-03'))
    expect(listCachedWeights(cache)).toHaveLength(2)
    expect(cachedWeightsPath(cache, 'resnet18')).not.toBe(cached)
  })

  it('never quotes the content of a file that is not weights', () => {
    // A probe of a system file: the old parser put its first 8 bytes into the message as a number, and
    // JSON.parse's message quoted the header text.
    const secret = 'root:$6$SECRETSALT$hashhashhash:19000:0:99999:7:::\n'
    const probe = path.join(tmp, 'shadow')
    fs.writeFileSync(probe, secret)
    const small = Buffer.alloc(8)
    small.writeBigUInt64LE(BigInt(11))
    const badJson = path.join(tmp, 'json.safetensors')
    fs.writeFileSync(badJson, Buffer.concat([small, Buffer.from('{"SECRET":1')]))
    const { rejected } = importPretrainedWeights([probe, badJson], path.join(tmp, 'probe-cache'))
    expect(rejected).toHaveLength(2)
    const header8 = Buffer.from(secret).readBigUInt64LE(0).toString()
    for (const r of rejected) {
      expect(r.reason).not.toMatch(/SECRET|root|hash/)
      expect(r.reason).not.toContain(header8)
    }
    expect(rejected[0].reason).toMatch(/shadow: not a valid safetensors file: its first 8 bytes/)
    expect(rejected[1].reason).toMatch(/json\.safetensors: .*header is not UTF-8 JSON/)
  })
})
