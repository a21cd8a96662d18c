// npm run bench:train — time of one training step (forward, cross-entropy, backward, Adam update) for the small
// and the paper-sized ResNet-34 U-Net and ResNet-50 classifier on each tfjs backend available here, beside the
// same step in PyTorch (bench/reference/train_step.py, same architecture, batch and input size) run now.
// Not a test: the numbers depend on the machine and its load. Flags:
//   --cases issueNet,unetSmall,resnetSmall,unetPaper,resnetPaper   --backends cpu,wasm,node
//   --steps N (timed steps, default 3; paper-sized 1)   --no-torch   --paper-cpu (paper-sized on pure JS too)
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { ResNet } from '../src/core/models/resnet/resnet'
import { resnetConfig } from '../src/core/models/resnet/resnetConfig'
import { Unet } from '../src/core/models/unet/unet'
import { unetConfig } from '../src/core/models/unet/unetConfig'
import type { ResNetConfig } from '../src/core/models/resnet/resnetConfig'
import { selectBackend, type BackendChoice } from '../src/core/engine/backend/selectBackend'
import { createAdam } from '../src/core/engine/optim/adam'
import {
  backendMemoryLimit,
  estimateTrainingMemory,
  formatBytes,
  measureActivationBytesPerSample,
  microBatchesNeeded,
} from '../src/core/engine/memoryEstimate'
import { createSeededRandom } from '../src/core/engine/seededRandom'

interface Net {
  forward(x: tf.Tensor4D): tf.Tensor
  parameters(): tf.Variable[]
  parameterCount: number
  dispose(): void
}

interface BenchCase {
  name: string
  paperSized: boolean
  task: 'segmentation' | 'classification'
  classes: number
  batch: number
  size: number
  build(): Net
  torch: Record<string, unknown>
}

/** The issue's tiny U-Net-like step (3 -> 16 -> 32 channels, a pool, an upsample, a skip), in plain ops. */
function issueNet(classes: number): Net {
  const random = createSeededRandom(1)
  const weight = (shape: number[]) => {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1)
    const values = Float32Array.from(
      { length: fanIn * shape[shape.length - 1] },
      () => random.normal() / Math.sqrt(fanIn),
    )
    return tf.variable(tf.tensor(values, shape))
  }
  const vars = {
    c1: weight([3, 3, 3, 16]),
    b1: tf.variable(tf.zeros([16])),
    c2: weight([3, 3, 16, 32]),
    b2: tf.variable(tf.zeros([32])),
    c3: weight([3, 3, 48, 16]),
    b3: tf.variable(tf.zeros([16])),
    head: weight([1, 1, 16, classes]),
    hb: tf.variable(tf.zeros([classes])),
  }
  const list = Object.values(vars)
  return {
    forward(x) {
      const a = tf.relu(tf.add(tf.conv2d(x, vars.c1 as tf.Tensor4D, 1, 'same'), vars.b1)) as tf.Tensor4D
      const b = tf.relu(
        tf.add(tf.conv2d(tf.maxPool(a, 2, 2, 'valid'), vars.c2 as tf.Tensor4D, 1, 'same'), vars.b2),
      )
      const [n, h, w, c] = b.shape
      // Nearest 2x upsampling with rank-4 tiles (tfjs has no tile gradient above rank 4).
      const cols = tf.tile(tf.reshape(b, [n * h, w, 1, c]), [1, 1, 2, 1])
      const up = tf.reshape(tf.tile(tf.reshape(cols, [n, h, 1, w * 2 * c]), [1, 1, 2, 1]), [
        n,
        h * 2,
        w * 2,
        c,
      ])
      const mixed = tf.relu(
        tf.add(tf.conv2d(tf.concat([up, a], 3) as tf.Tensor4D, vars.c3 as tf.Tensor4D, 1, 'same'), vars.b3),
      )
      return tf.add(tf.conv2d(mixed as tf.Tensor4D, vars.head as tf.Tensor4D, 1, 'same'), vars.hb)
    },
    parameters: () => list,
    parameterCount: list.reduce((n, v) => n + v.size, 0),
    dispose: () => tf.dispose(list),
  }
}

function moduleNet(module: ResNet | Unet): Net {
  return {
    forward: (x) => module.forward(x),
    parameters: () => module.parameters(),
    parameterCount: module.parameterCount(),
    dispose: () => module.dispose(),
  }
}

function torchResnet(config: ResNetConfig) {
  const { block, layers, widths, stemWidth, numClasses } = config
  return { block, layers, widths, stemWidth, numClasses }
}

function cases(): BenchCase[] {
  const unetSmall = unetConfig('unetTiny')
  const unetPaper = unetConfig('unetResnet34')
  const resnetSmall = resnetConfig('resnetTinyBottleneck')
  const resnetPaper = resnetConfig('resnet50', { numClasses: 4 })
  return [
    {
      name: 'issueNet',
      paperSized: false,
      task: 'segmentation',
      classes: 2,
      batch: 8,
      size: 64,
      build: () => issueNet(2),
      torch: { model: 'issueNet', classes: 2 },
    },
    {
      name: 'unetSmall',
      paperSized: false,
      task: 'segmentation',
      classes: unetSmall.classes,
      batch: 8,
      size: 64,
      build: () => moduleNet(new Unet(unetSmall)),
      torch: {
        model: 'unet',
        resnet: torchResnet(unetSmall.encoder),
        decoderChannels: unetSmall.decoderChannels,
        classes: unetSmall.classes,
      },
    },
    {
      name: 'resnetSmall',
      paperSized: false,
      task: 'classification',
      classes: resnetSmall.numClasses!,
      batch: 8,
      size: 64,
      build: () => moduleNet(new ResNet(resnetSmall)),
      torch: { model: 'resnet', resnet: torchResnet(resnetSmall) },
    },
    {
      name: 'unetPaper',
      paperSized: true,
      task: 'segmentation',
      classes: unetPaper.classes,
      batch: 16,
      size: 224,
      build: () => moduleNet(new Unet(unetPaper)),
      torch: {
        model: 'unet',
        resnet: torchResnet(unetPaper.encoder),
        decoderChannels: unetPaper.decoderChannels,
        classes: unetPaper.classes,
      },
    },
    {
      name: 'resnetPaper',
      paperSized: true,
      task: 'classification',
      classes: 4,
      batch: 16,
      size: 224,
      build: () => moduleNet(new ResNet(resnetPaper)),
      torch: { model: 'resnet', resnet: torchResnet(resnetPaper) },
    },
  ]
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const flag = (name: string) => process.argv.includes(`--${name}`)

function findTorchPython(): string | null {
  for (const python of [process.env.S4MI_TORCH_PYTHON, '/usr/bin/python3', 'python3'].filter(
    Boolean,
  ) as string[]) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' })
    if (probe.status === 0) return python
  }
  return null
}

interface Timing {
  params: number
  stepSeconds: number[]
}

function torchStep(python: string, c: BenchCase, warmup: number, steps: number): Timing | string {
  const script = path.join(__dirname, 'reference', 'train_step.py')
  const config = { ...c.torch, batch: c.batch, size: c.size, warmup, steps }
  const run = spawnSync(python, [script, JSON.stringify(config)], { encoding: 'utf8', maxBuffer: 1 << 20 })
  if (run.status !== 0) return `torch failed: ${run.stderr.trim().split('\n').pop()}`
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Timing
}

function batchFor(c: BenchCase): { x: tf.Tensor4D; labels: tf.Tensor } {
  const random = createSeededRandom(7)
  const n = c.batch * c.size * c.size * 3
  const x = tf.tensor4d(
    Float32Array.from({ length: n }, () => random.normal()),
    [c.batch, c.size, c.size, 3],
  )
  const count = c.task === 'segmentation' ? c.batch * c.size * c.size : c.batch
  const ids = tf.tensor1d(
    Int32Array.from({ length: count }, () => random.nextInt(c.classes)),
    'int32',
  )
  const labels = tf.oneHot(ids, c.classes)
  ids.dispose()
  return { x, labels }
}

/**
 * One optimiser step over the whole batch. With micro-batches > 1 (the batch does not fit the backend's memory,
 * e.g. the 4 GiB wasm heap) gradients are accumulated over equal slices, then averaged: same work, same update
 * except that BatchNorm sees each slice's statistics.
 */
function trainStep(
  net: Net,
  optimizer: ReturnType<typeof createAdam>,
  x: tf.Tensor4D,
  labels: tf.Tensor,
  classes: number,
  microBatches: number,
): number {
  const params = net.parameters()
  const n = x.shape[0]
  const size = Math.ceil(n / microBatches)
  let sums: tf.Tensor[] | null = null
  let loss = 0
  for (let start = 0; start < n; start += size) {
    const count = Math.min(size, n - start)
    const { value, grads } = tf.tidy(() => {
      const xs = microBatches > 1 ? tf.slice(x, start, count) : x
      const ys =
        microBatches > 1
          ? tf.slice(labels, start * (labels.shape[0] / n), count * (labels.shape[0] / n))
          : labels
      return tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(ys, tf.reshape(net.forward(xs), [-1, classes])) as tf.Scalar,
        params,
      )
    })
    const scaled = params.map((p) => grads[p.name])
    loss += (value.dataSync()[0] * count) / n
    if (sums == null) sums = scaled
    else {
      const next: tf.Tensor[] = sums.map((s, i) => tf.add(s, scaled[i]))
      tf.dispose([...sums, ...scaled])
      sums = next
    }
    value.dispose()
  }
  const averaged = microBatches > 1 ? sums!.map((g) => tf.div(g, microBatches)) : sums!
  optimizer.step(params, averaged)
  tf.dispose(averaged === sums ? sums : [...sums!, ...averaged])
  return loss
}

interface Row {
  name: string
  backend: string
  params: number
  torchParams: number | null
  seconds: number | null
  torchSeconds: number | null
  estimate: string
  peak: string
  tensorsFlat: boolean | null
  note: string
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function benchOne(
  c: BenchCase,
  steps: number,
): Promise<Omit<Row, 'name' | 'backend' | 'torchParams' | 'torchSeconds'>> {
  const net = c.build()
  const optimizer = createAdam({ learningRate: 3.6e-4, weightDecay: 1e-5 })
  const { x, labels } = batchFor(c)
  try {
    const activation = await measureActivationBytesPerSample((t) => net.forward(t), [c.size, c.size, 3])
    const estimate = estimateTrainingMemory({
      parameterCount: net.parameterCount,
      activationBytesPerSample: activation,
      batchSize: c.batch,
      optimizer: 'adam',
    })
    const microBatches = microBatchesNeeded(estimate, c.batch, backendMemoryLimit(tf.getBackend()))
    // Warm-up step (creates optimiser state, wasm operators), profiled for the peak memory of a step.
    const profile = await tf.profile(() => {
      trainStep(net, optimizer, x, labels, c.classes, microBatches)
    })
    const tensorsAfterWarmup = tf.memory().numTensors
    const times: number[] = []
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now()
      trainStep(net, optimizer, x, labels, c.classes, microBatches)
      times.push((performance.now() - t0) / 1000)
    }
    return {
      params: net.parameterCount,
      seconds: median(times),
      estimate: formatBytes(estimate.totalBytes),
      peak: formatBytes(profile.peakBytes),
      tensorsFlat: tf.memory().numTensors === tensorsAfterWarmup,
      note: microBatches > 1 ? `${microBatches} micro-batches (memory)` : '',
    }
  } finally {
    optimizer.dispose()
    net.dispose()
    tf.dispose([x, labels])
  }
}

async function main(): Promise<void> {
  const wanted = (arg('cases') ?? 'issueNet,unetSmall,resnetSmall,unetPaper,resnetPaper').split(',')
  const backends = (arg('backends') ?? 'node,wasm,cpu').split(',') as BackendChoice[]
  const steps = Number(arg('steps') ?? 3)
  const python = flag('no-torch') ? null : findTorchPython()
  const rows: Row[] = []
  const selected = cases().filter((c) => wanted.includes(c.name))
  const torch = new Map<string, Timing | string>()
  for (const c of selected) {
    const timed = c.paperSized ? 1 : steps
    if (python) {
      process.stderr.write(`torch ${c.name}...\n`)
      torch.set(c.name, torchStep(python, c, 1, timed))
    }
    for (const backend of backends) {
      const row: Row = {
        name: `${c.name} ${c.size}px b${c.batch}`,
        backend,
        params: 0,
        torchParams: null,
        seconds: null,
        torchSeconds: null,
        estimate: '',
        peak: '',
        tensorsFlat: null,
        note: '',
      }
      const t = torch.get(c.name)
      if (t && typeof t !== 'string') {
        row.torchParams = t.params
        row.torchSeconds = median(t.stepSeconds)
      } else if (typeof t === 'string') row.note = t
      else row.note = 'no python3-torch'
      try {
        await selectBackend({ backend })
      } catch (e) {
        row.note = `backend unavailable: ${(e as Error).message.split('\n')[0].slice(0, 80)}`
        rows.push(row)
        continue
      }
      if (backend === 'cpu' && c.paperSized && !flag('paper-cpu')) {
        row.note = 'skipped: pure JS takes minutes per paper-sized step (--paper-cpu to run)'
        rows.push(row)
        continue
      }
      process.stderr.write(`tfjs ${backend} ${c.name}...\n`)
      const result = await benchOne(c, c.paperSized ? 1 : steps)
      Object.assign(row, result, { note: [row.note, result.note].filter(Boolean).join('; ') })
      rows.push(row)
    }
  }
  const header = [
    'case',
    'backend',
    'params tfjs/torch',
    's/step',
    'torch s/step',
    'ratio',
    'mem est.',
    'peak',
    'flat',
    'note',
  ]
  const lines = rows.map((r) => [
    r.name,
    r.backend,
    `${r.params || '-'}/${r.torchParams ?? '-'}`,
    r.seconds?.toFixed(3) ?? '-',
    r.torchSeconds?.toFixed(3) ?? '-',
    r.seconds != null && r.torchSeconds != null ? `${(r.seconds / r.torchSeconds).toFixed(1)}x` : '-',
    r.estimate || '-',
    r.peak || '-',
    r.tensorsFlat == null ? '-' : r.tensorsFlat ? 'yes' : 'NO',
    r.note,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const fmt = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  const torchThreads = python
    ? spawnSync(python, ['-c', 'import torch; print(torch.get_num_threads())'], {
        encoding: 'utf8',
      }).stdout.trim()
    : '-'
  console.log(
    `train-step benchmark (ratio = tfjs time / PyTorch time; PyTorch threads: ${torchThreads}; tfjs wasm: 1 thread)`,
  )
  console.log(fmt(header))
  for (const l of lines) console.log(fmt(l))
  const out = arg('json')
  if (out) fs.writeFileSync(out, JSON.stringify(rows, null, 1))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
