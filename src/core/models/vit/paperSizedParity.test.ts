import * as tf from '@tensorflow/tfjs'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SwinTransformer } from '../swin/swinTransformer'
import { swinConfig } from '../swin/swinConfig'
import { loadSwinWeights } from '../swin/swinWeights'
import { SwinUnet } from '../swinUnet/swinUnet'
import { swinUnetConfig } from '../swinUnet/swinUnetConfig'
import { loadSwinUnetWeights } from '../swinUnet/swinUnetWeights'
import { fixtureDir } from '../referenceCase'
import { useWasmBackend } from '../../engine/backend/wasmBackend'
import { VisionTransformer } from './visionTransformer'
import { vitConfig } from './vitConfig'
import { loadVitWeights } from './vitWeights'
import { readTorchReference, referenceTensor, relativeMaxDiff } from '../torchParity'
import type { TorchReference } from '../torchParity'

/**
 * Opt-in (S4MI_PARITY_FULL=1): the paper-sized ViT-B/16, Swin-T and Swin-UNet against PyTorch. Needs
 * python3-torch and python3-torchvision; exports ~560 MB of random weights to S4MI_PARITY_DIR (default: a
 * folder in the temp dir, reused across runs) with scripts/parity/export_transformers.py --full.
 * Backend: cpu, or wasm with S4MI_PARITY_BACKEND=wasm.
 */
const enabled = process.env.S4MI_PARITY_FULL === '1'
const dir = process.env.S4MI_PARITY_DIR ?? path.join(os.tmpdir(), 's4mi-parity-transformers')
const python = process.env.S4MI_PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')

describe.skipIf(!enabled)('paper-sized transformers vs PyTorch (opt-in)', () => {
  beforeAll(async () => {
    // S4MI_PARITY_BACKEND=wasm runs the same comparison in a fraction of the pure-JS time.
    if (process.env.S4MI_PARITY_BACKEND === 'wasm') await useWasmBackend()
    else await tf.setBackend('cpu')
    if (!fs.existsSync(path.join(dir, 'swin_unet_t.io.safetensors'))) {
      const script = path.resolve(fixtureDir, '../../../scripts/parity/export_transformers.py')
      execFileSync(python, [script, '--full', dir], { stdio: 'inherit' })
    }
  }, 1_200_000)

  /** Build, load and run one model on the reference input; compare every output it names. */
  function check(name: string, run: (ref: TorchReference, x: tf.Tensor) => Record<string, tf.Tensor>): void {
    const ref = readTorchReference(name, dir)
    const x = referenceTensor(ref.io, 'input')
    const started = performance.now()
    const out = run(ref, x)
    const seconds = (performance.now() - started) / 1000
    const diffs = Object.fromEntries(
      Object.entries(out).map(([k, v]) => [k, relativeMaxDiff(v, referenceTensor(ref.io, k))]),
    )
    console.log(
      `${name} (${tf.getBackend()}): relative max diff ${JSON.stringify(diffs)}; load + forward ${seconds.toFixed(1)} s`,
    )
    for (const d of Object.values(diffs)) expect(d).toBeLessThan(1e-4)
    tf.dispose([x, ...Object.values(out)])
  }

  it(
    'ViT-B/16 (torchvision vit_b_16) outputs match within 1e-4 of their scale',
    () =>
      check('vit_b_16', (ref, x) => {
        const model = new VisionTransformer(vitConfig('vitB16'))
        loadVitWeights(model, ref.weights)
        const o = model.eval().forwardParts(x)
        model.dispose()
        return { logits: o.logits!, embedding: o.embedding, features: o.tokens }
      }),
    1_200_000,
  )

  it(
    'Swin-T (torchvision swin_t) outputs match within 1e-4 of their scale',
    () =>
      check('swin_t', (ref, x) => {
        const model = new SwinTransformer(swinConfig('swinT'))
        loadSwinWeights(model, ref.weights)
        const o = model.eval().forwardParts(x)
        tf.dispose(o.stages)
        model.dispose()
        return { logits: o.logits!, embedding: o.embedding, features: o.features }
      }),
    1_200_000,
  )

  it(
    'Swin-UNet (Swin-T widths, 2-2-2-2, window 7) outputs match within 1e-4 of their scale',
    () =>
      check('swin_unet_t', (ref, x) => {
        const model = new SwinUnet(swinUnetConfig('swinUnetT'))
        loadSwinUnetWeights(model, ref.weights)
        const o = model.eval().forwardParts(x)
        tf.dispose(o.skips)
        model.dispose()
        return { logits: o.logits, embedding: o.embedding, features: o.bottleneck, decoded: o.decoded }
      }),
    1_200_000,
  )
})
