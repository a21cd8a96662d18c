import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Module, buildSeeded } from './module'
import { Conv2d } from './conv2d'
import { BatchNorm2d } from './batchNorm2d'
import { Linear } from './linear'
import { encodeSafetensors, parseSafetensors } from './safetensors'
import type { Float32Tensor } from './safetensors'
import { WeightsMismatchError, exportStateDict, loadStateDict } from './weights'
import { loadWeights, saveWeights } from './weightsFile'

class Tiny extends Module {
  readonly conv1 = this.addModule('conv1', new Conv2d(2, 3, 3, { bias: false }))
  readonly bn1 = this.addModule('bn1', new BatchNorm2d(3))
  readonly fc = this.addModule('fc', new Linear(3, 4))
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-weights-'))
beforeAll(async () => {
  await tf.setBackend('cpu')
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** A torch-layout state dict of the Tiny module, by hand: conv OIHW, linear [out, in]. */
function torchFile(overrides: Record<string, { shape: number[]; data: Float32Array } | null> = {}) {
  const seq = (n: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => (i + 1) * scale)
  const tensors = new Map<string, Float32Tensor>([
    ['conv1.weight', { shape: [3, 2, 3, 3], data: seq(54, 0.01) }],
    ['bn1.weight', { shape: [3], data: seq(3) }],
    ['bn1.bias', { shape: [3], data: seq(3, -1) }],
    ['bn1.running_mean', { shape: [3], data: seq(3, 0.5) }],
    ['bn1.running_var', { shape: [3], data: seq(3, 2) }],
    ['bn1.num_batches_tracked', { shape: [], data: Float32Array.from([7]) }],
    ['fc.weight', { shape: [4, 3], data: seq(12) }],
    ['fc.bias', { shape: [4], data: seq(4, 0.1) }],
  ])
  for (const [name, t] of Object.entries(overrides)) {
    if (t === null) tensors.delete(name)
    else tensors.set(name, t)
  }
  return parseSafetensors(encodeSafetensors(tensors), 'tiny.safetensors')
}

describe('loading weights by torch name', () => {
  it('converts torch layouts: conv OIHW → HWIO, linear [out, in] → [in, out]', () => {
    const m = buildSeeded(1, () => new Tiny())
    const report = loadStateDict(m, torchFile())
    expect(report.missing).toEqual([])
    expect(report.unexpected).toEqual([])
    expect(report.loaded).toHaveLength(7)
    // torch conv1.weight[o=1, i=0, kh=2, kw=1] is element ((1·2+0)·3+2)·3+1 = 25 → value 0.26
    expect(m.conv1.weight.value.bufferSync().get(2, 1, 0, 1)).toBeCloseTo(0.26, 6)
    // torch fc.weight[o=2, i=1] is element 2·3+1 = 7 → value 8; ours is [in, out]
    expect(m.fc.weight.value.bufferSync().get(1, 2)).toBe(8)
    expect(Array.from(m.bn1.runningVar.value.dataSync())).toEqual([2, 4, 6])
    // Export goes back to torch layout bit for bit.
    const back = exportStateDict(m)
    const original = torchFile()
    for (const [name, t] of back)
      expect(Array.from(t.data), name).toEqual(Array.from(original.tensors.get(name)!.toFloat32()))
    m.dispose()
  })

  it('names every missing, unexpected and mis-shaped tensor in one error', () => {
    const m = buildSeeded(2, () => new Tiny())
    const file = torchFile({
      'fc.bias': null,
      'head.weight': { shape: [1], data: new Float32Array(1) },
      'conv1.weight': { shape: [3, 2, 1, 1], data: new Float32Array(6) },
    })
    let error: WeightsMismatchError | null = null
    try {
      loadStateDict(m, file)
    } catch (e) {
      error = e as WeightsMismatchError
    }
    expect(error).toBeInstanceOf(WeightsMismatchError)
    expect(error!.message).toMatch(/^tiny\.safetensors does not fit the model/)
    // A tensor with the wrong shape is reported as mis-shaped, not also as missing.
    expect(error!.missing).toEqual(['fc.bias'])
    expect(error!.unexpected).toEqual(['head.weight'])
    expect(error!.misshaped).toEqual(['conv1.weight [3,2,1,1] vs [3,2,3,3]'])
    expect(error!.message).toMatch(/mis-shaped tensors .*conv1\.weight \[3,2,1,1\] vs \[3,2,3,3\]/)
    expect(error!.message).toMatch(/missing tensors: fc\.bias \(1\)/)
    expect(error!.message).toMatch(/unexpected tensors: head\.weight/)
    // Nothing was half-loaded.
    expect(m.bn1.weight.value.dataSync()[0]).toBe(1)
    m.dispose()
  })

  it('with strict: false reports missing and unexpected tensors but still rejects wrong shapes', () => {
    const m = buildSeeded(3, () => new Tiny())
    const report = loadStateDict(
      m,
      torchFile({ 'fc.bias': null, extra: { shape: [1], data: new Float32Array(1) } }),
      {
        strict: false,
      },
    )
    expect(report.missing).toEqual(['fc.bias'])
    expect(report.unexpected).toEqual(['extra'])
    expect(() =>
      loadStateDict(m, torchFile({ 'fc.weight': { shape: [3, 4], data: new Float32Array(12) } }), {
        strict: false,
      }),
    ).toThrow(/fc\.weight \[3,4\] vs \[4,3\]/)
    m.dispose()
  })

  it('loads a sub-module from prefixed names', () => {
    const m = buildSeeded(4, () => new Tiny())
    const prefixed = new Map<string, { shape: number[]; data: Float32Array }>()
    for (const [name, e] of torchFile().tensors)
      prefixed.set(`model.${name}`, { shape: e.shape, data: e.toFloat32() })
    prefixed.set('other.x', { shape: [1], data: new Float32Array(1) })
    const file = parseSafetensors(encodeSafetensors(prefixed), 'ckpt.safetensors')
    const report = loadStateDict(m, file, { prefix: 'model.' })
    expect(report.loaded).toHaveLength(7)
    expect(m.fc.weight.value.bufferSync().get(1, 2)).toBe(8)
    m.dispose()
  })

  it('saves our weights to a file and loads them back into a fresh model', () => {
    const a = buildSeeded(5, () => new Tiny())
    const b = buildSeeded(6, () => new Tiny())
    const file = path.join(tmp, 'tiny.safetensors')
    saveWeights(a, file, { method: 'test' })
    loadWeights(b, file)
    for (const [name, slot] of a.stateDict()) {
      expect(Array.from(b.stateDict().get(name)!.value.dataSync()), name).toEqual(
        Array.from(slot.value.dataSync()),
      )
    }
    expect(parseSafetensors(fs.readFileSync(file)).metadata).toEqual({ method: 'test' })
    expect(() => loadWeights(b, path.join(tmp, 'nope.safetensors'))).toThrow(
      /cannot read weights file .*nope\.safetensors/,
    )
    a.dispose()
    b.dispose()
  })
})
