import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSeeded } from '../nn/module'
import { saveWeights } from '../nn/weightsFile'
import { ResNet } from './resnet'
import { resnetConfig } from './resnetConfig'

/** Our saved weights must load into torchvision with strict=True. Skips without python3-torchvision. */
const python = process.env.S4MI_PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
const hasTorch = spawnSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-roundtrip-'))

beforeAll(async () => {
  await tf.setBackend('cpu')
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe.skipIf(!hasTorch)('weights we save load into torchvision', () => {
  it('resnet18: strict load, same eval-mode logits', () => {
    const model = buildSeeded(11, () => new ResNet(resnetConfig('resnet18'))).eval()
    const weights = path.join(tmp, 'resnet18.safetensors')
    saveWeights(model, weights)
    const x = tf.randomNormal([1, 64, 64, 3], 0, 1, 'float32', 5)
    const ours = tf.tidy(() => Array.from(model.forward(x).dataSync()))
    const input = path.join(tmp, 'input.json')
    const nchw = tf.tidy(() => Array.from(tf.transpose(x, [0, 3, 1, 2]).dataSync()))
    fs.writeFileSync(input, JSON.stringify({ shape: [1, 3, 64, 64], data: nchw }))
    const script = fileURLToPath(new URL('../../../../scripts/parity/check_our_weights.py', import.meta.url))
    const out = JSON.parse(execFileSync(python, [script, 'resnet18', weights, input], { encoding: 'utf8' }))
    expect(out.missing).toEqual([])
    expect(out.unexpected).toEqual([])
    const scale = Math.max(...out.output.map(Math.abs))
    const error = Math.max(...ours.map((v, i) => Math.abs(v - out.output[i]))) / scale
    expect(error).toBeLessThan(1e-4)
    x.dispose()
    model.dispose()
  })
})
