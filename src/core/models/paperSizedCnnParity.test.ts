import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Module } from './nn/module'
import { ResNet } from './resnet/resnet'
import { resnetConfig } from './resnet/resnetConfig'
import { Unet } from './unet/unet'
import { unetConfig } from './unet/unetConfig'
import { PicieFpn } from './picie/picieFpn'
import { picieFpnConfig } from './picie/picieFpnConfig'
import { evalOutputError, loadReferenceWeights, readReferenceCase } from './referenceCase'

/**
 * Opt-in (S4MI_PARITY_FULL=1): the paper-sized CNNs against PyTorch at 224 px, eval mode. Needs
 * python3-torch and python3-torchvision; exports ~330 MB of random weights with
 * scripts/parity/export_reference.py --full into S4MI_PARITY_CNN_DIR (default: a temp folder, reused).
 */
const enabled = process.env.S4MI_PARITY_FULL === '1'
const dir = process.env.S4MI_PARITY_CNN_DIR ?? path.join(os.tmpdir(), 's4mi-parity-cnn')
const python = process.env.S4MI_PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')

describe.skipIf(!enabled)('paper-sized CNNs vs PyTorch (opt-in)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
    if (!fs.existsSync(path.join(dir, 'unet-resnet34.io.safetensors'))) {
      const script = fileURLToPath(new URL('../../../scripts/parity/export_reference.py', import.meta.url))
      execFileSync(python, [script, '--full', '--out', dir], { stdio: 'inherit' })
    }
  }, 1_200_000)

  function check<M extends Module>(name: string, model: M, forward: (m: M, x: tf.Tensor) => tf.Tensor): void {
    const ref = readReferenceCase(name, dir)
    loadReferenceWeights(model, ref)
    const started = performance.now()
    const error = evalOutputError(model, (x) => forward(model, x), ref)
    const seconds = (performance.now() - started) / 1000
    console.log(
      `${name}: max |ours − torch| / max |torch| = ${error.toExponential(2)}; forward ${seconds.toFixed(1)} s`,
    )
    model.dispose()
    expect(error).toBeLessThan(1e-4)
  }

  it('ResNet-34 (torchvision) logits', () => {
    check('resnet34', new ResNet(resnetConfig('resnet34')), (m, x) => m.forward(x))
  }, 600_000)

  it('ResNet-50 (torchvision) logits', () => {
    check('resnet50', new ResNet(resnetConfig('resnet50')), (m, x) => m.forward(x))
  }, 600_000)

  it('ResNet-34 U-Net (smp layout) per-pixel logits', () => {
    check('unet-resnet34', new Unet(unetConfig('unetResnet34', { classes: 4 })), (m, x) => m.forward(x))
  }, 600_000)

  it('PiCIE ResNet-18 FPN features', () => {
    check('picie-resnet18', new PicieFpn(picieFpnConfig('picieResnet18')), (m, x) => m.forward(x))
  }, 600_000)
})
