/**
 * Training-step speed of the small model presets on the tfjs CPU backend, as ratios against
 * PyTorch (CPU, 1 thread) running the same step when python3-torch is installed, and the speed-up of
 * our conv filter gradient over tfjs' own Conv2DBackpropFilter.
 *   npm run bench:models [-- --batch 8 --size 64 --repeats 3]
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { buildSeeded } from '../../src/core/models/nn/module'
import type { Module } from '../../src/core/models/nn/module'
import { conv2dOp } from '../../src/core/models/nn/conv2dOp'
import { ResNet } from '../../src/core/models/resnet/resnet'
import { resnetConfig } from '../../src/core/models/resnet/resnetConfig'
import { Unet } from '../../src/core/models/unet/unet'
import { unetConfig } from '../../src/core/models/unet/unetConfig'
import { PicieFpn } from '../../src/core/models/picie/picieFpn'
import { picieFpnConfig } from '../../src/core/models/picie/picieFpnConfig'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const batch = arg('batch', 8)
const size = arg('size', 64)
const repeats = arg('repeats', 3)

const presets: Record<string, () => { model: Module; forward: (x: tf.Tensor) => tf.Tensor }> = {
  resnetTiny: () => {
    const m = new ResNet(resnetConfig('resnetTiny'))
    return { model: m, forward: (x) => m.forward(x) }
  },
  resnetTinyBottleneck: () => {
    const m = new ResNet(resnetConfig('resnetTinyBottleneck'))
    return { model: m, forward: (x) => m.forward(x) }
  },
  unetTiny: () => {
    const m = new Unet(unetConfig('unetTiny'))
    return { model: m, forward: (x) => m.forward(x) }
  },
  picieTiny: () => {
    const m = new PicieFpn(picieFpnConfig('picieTiny'))
    return { model: m, forward: (x) => m.forward(x) }
  },
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function time(fn: () => void, n: number): number {
  fn() // warm-up
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    fn()
    times.push(performance.now() - t)
  }
  return median(times)
}

function torchTimes(): Record<string, number> | null {
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
  const script = fileURLToPath(new URL('./bench_reference.py', import.meta.url))
  try {
    const out = execFileSync(python, [script, String(batch), String(size), String(repeats)], {
      encoding: 'utf8',
    })
    return JSON.parse(out.trim().split('\n').pop()!)
  } catch {
    return null
  }
}

async function main(): Promise<void> {
  await tf.setBackend('cpu')
  console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, batch ${batch}, ${size}×${size} px`)
  const torch = torchTimes()
  if (!torch) console.log('(python3-torch not found: no PyTorch reference ratios)')
  for (const [name, make] of Object.entries(presets)) {
    const { model, forward } = buildSeeded(1, make)
    const x = tf.randomNormal([batch, size, size, 3])
    const optimizer = tf.train.sgd(0.01)
    const ms = time(() => {
      tf.tidy(() => {
        optimizer.minimize(() => tf.mean(tf.square(forward(x))) as tf.Scalar, false, model.parameters())
      })
    }, repeats)
    const ref = torch?.[name]
    const ratio = ref ? `  PyTorch ${ref.toFixed(0)} ms, tfjs/PyTorch ${(ms / ref).toFixed(1)}×` : ''
    console.log(`${name.padEnd(22)} train step ${ms.toFixed(0)} ms${ratio}`)
    optimizer.dispose()
    x.dispose()
    model.dispose()
  }
  // Filter gradient of a 3×3 conv, 16 → 16 channels: ours vs tfjs' Conv2DBackpropFilter.
  const x = tf.randomNormal([batch, size, size, 16]) as tf.Tensor4D
  const w = tf.randomNormal([3, 3, 16, 16]) as tf.Tensor4D
  const grad = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => () =>
    tf.tidy(() => {
      tf.grad((b: tf.Tensor) => tf.sum(conv(x, b as tf.Tensor4D)))(w).dataSync()
    })
  const ours = time(
    grad((a, b) => conv2dOp(a, b, 1, 1)),
    repeats,
  )
  const theirs = time(
    grad((a, b) => tf.conv2d(a, b, 1, 1)),
    repeats,
  )
  console.log(
    `conv3x3 16→16 filter gradient: ours ${ours.toFixed(0)} ms, tfjs ${theirs.toFixed(0)} ms, speed-up ${(theirs / ours).toFixed(1)}×`,
  )
  tf.dispose([x, w])
}

void main()
