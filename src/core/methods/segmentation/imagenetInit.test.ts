import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildSeeded } from '../../models/nn/module'
import { exportStateDict } from '../../models/nn/weights'
import { saveWeights } from '../../models/nn/weightsFile'
import { Unet } from '../../models/unet/unet'
import { unetConfig } from '../../models/unet/unetConfig'
import { importedImagenetWeights } from '../../models/pretrained/importedImagenetWeights'
import { initUnetEncoder } from './imagenetInit'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const home = process.env.S4MI_HOME
const dirs: string[] = []
afterEach(() => {
  process.env.S4MI_HOME = home
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function appHomeWithWeights(file?: { architecture: string; source: Unet }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-init-'))
  dirs.push(dir)
  process.env.S4MI_HOME = dir
  if (file) {
    fs.mkdirSync(path.join(dir, 'weights'))
    saveWeights(file.source.encoder, path.join(dir, 'weights', 'w.safetensors'))
    const entry = {
      architecture: file.architecture,
      file: 'w.safetensors',
      sha256: 'x',
      bytes: 1,
      importedFrom: 'test',
      importedAt: '2026-01-01T00:00:00Z',
    }
    fs.writeFileSync(path.join(dir, 'weights', 'index.json'), JSON.stringify([entry]))
  }
  return dir
}

describe('ImageNet initialisation', () => {
  it('loads the imported encoder weights into the U-Net encoder and leaves the decoder alone', async () => {
    const source = buildSeeded(1, () => new Unet(unetConfig('unetTiny', { classes: 2 })))
    appHomeWithWeights({ architecture: 'resnet34', source })
    const net = buildSeeded(2, () => new Unet(unetConfig('unetTiny', { classes: 2 })))
    const decoderBefore = exportStateDict(net).get('segmentation_head.0.weight')!.data.slice()
    const r = initUnetEncoder(net, await importedImagenetWeights('resnet34'))
    expect(r.loaded).toBe(true)
    const want = exportStateDict(source.encoder)
    const got = exportStateDict(net.encoder)
    for (const [name, t] of want) expect(Array.from(got.get(name)!.data), name).toEqual(Array.from(t.data))
    expect(Array.from(exportStateDict(net).get('segmentation_head.0.weight')!.data)).toEqual(
      Array.from(decoderBefore),
    )
    source.dispose()
    net.dispose()
  })

  it('says the net starts random when no weights were imported', async () => {
    appHomeWithWeights()
    const net = buildSeeded(2, () => new Unet(unetConfig('unetTiny', { classes: 2 })))
    const r = initUnetEncoder(net, await importedImagenetWeights('resnet34'))
    expect(r).toEqual({ loaded: false, note: expect.stringMatching(/no resnet34 ImageNet weights imported/) })
    net.dispose()
  })
})
