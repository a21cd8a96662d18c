// npm run bench:ssl-memory — does one paper-preset DINO or CASS step fit the wasm backend's 4 GiB heap?
// Builds the paper preset's nets (DINO official: ResNet-50, head 2048 → 256 → 65 536, batch 64 of 2 × 224 px
// + 8 × 96 px crops; CASS: ResNet-50 + ViT-B/16 with 1000-class heads, batch 16 at 224 px), lets the run's
// own memory plan (sslMemoryPlan.ts) choose the micro-batches, runs ONE step through the app's step
// functions, and prints the plan, the tensors' peak, the wasm heap (it only grows: its size is the peak)
// and the process's peak RSS. Each method in its own process, so one's heap does not count for the other.
// Not a test: one paper-sized step takes minutes on a CPU.
// Flags: --method dino|cass (default: both, one process each)  --batch N (default: the preset's)
//        --micro-batches N (default: the plan's)  --view-by-view (DINO) / --net-by-net (CASS), with --micro-batches  --threads N
import { spawnSync } from 'node:child_process'
import * as tf from '@tensorflow/tfjs'
import { selectBackend } from '../src/core/engine/backend/selectBackend'
import { bufferPeak } from '../src/core/engine/bufferPeak'
import { formatBytes, wasmHeapLimitBytes } from '../src/core/engine/memoryEstimate'
import { createAdam, createAdamW } from '../src/core/engine/optim/adam'
import { createSeededRandom } from '../src/core/engine/seededRandom'
import { cassDefaults, cassStep } from '../src/core/methods/classification/cass'
import { buildDinoNet } from '../src/core/methods/classification/dinoNet'
import { dinoCropSettings, dinoDefaults } from '../src/core/methods/classification/dinoPresets'
import { dinoStep } from '../src/core/methods/classification/dinoStep'
import { multiCrop } from '../src/core/methods/classification/multiCrop'
import { buildBackbone } from '../src/core/methods/classification/sslBackbone'
import { planCassMicroBatches, planDinoMicroBatches } from '../src/core/methods/classification/sslMemoryPlan'
import { initTeacher } from '../src/core/methods/classification/teacherEma'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function heapBytes(): number {
  const backend = tf.engine().registry.wasm as unknown as { wasm?: { HEAPU8: Uint8Array } } | undefined
  return backend?.wasm?.HEAPU8.buffer.byteLength ?? 0
}

function images(batch: number, size: number): tf.Tensor4D {
  const r = createSeededRandom(1)
  return tf.tensor4d(
    Float32Array.from({ length: batch * size * size * 3 }, () => r.next()),
    [batch, size, size, 3],
  )
}

async function dino(batchArg: number | null, microArg: number): Promise<string[]> {
  const h = dinoDefaults('paper', 'official')
  const batch = batchArg ?? Number(h.batchSize)
  const student = buildDinoNet('resnet50', h, 224, 0, 1)
  const teacher = buildDinoNet('resnet50', h, 224, 0, 1)
  initTeacher(teacher, student)
  const crops = dinoCropSettings(h, 224, 1)
  const plan = await planDinoMicroBatches(
    student,
    crops,
    batch,
    microArg,
    process.argv.includes('--view-by-view'),
  )
  const x = images(batch, 224)
  const views = multiCrop(x, crops, createSeededRandom(2))
  x.dispose()
  const optimizer = createAdamW({ learningRate: (5e-4 * batch) / 256, weightDecay: 0 })
  const center = tf.variable(tf.zeros([1, Number(h.outDim)]), false)
  const regularised = new Set(student.parameters().filter((p) => p.shape.length > 1))
  const t0 = performance.now()
  const profile = bufferPeak(() => {
    dinoStep({ student, teacher, center, optimizer, regularised, frozen: new Set() }, views, {
      studentTemp: Number(h.studentTemp),
      teacherTemp: Number(h.teacherTemp),
      lr: (5e-4 * batch) / 256,
      weightDecay: Number(h.weightDecay),
      clipGrad: Number(h.clipGrad),
      momentum: Number(h.momentumTeacher),
      centerMomentum: Number(h.centerMomentum),
      microBatches: plan.microBatches,
      viewByView: plan.viewByView,
    })
  })
  const seconds = (performance.now() - t0) / 1000
  return [
    `DINO official paper preset, ResNet-50, batch ${batch} (2 × ${crops.globalSize} + ${crops.localCrops} × ${crops.localSize} px crops), ${student.parameterCount()} student parameters`,
    `plan: ${plan.summary}`,
    `one step in ${plan.microBatches} micro-batches: ${seconds.toFixed(0)} s; tensors' peak ${formatBytes(profile.peakBytes)} (above the weights)`,
  ]
}

async function cass(batchArg: number | null, microArg: number): Promise<string[]> {
  const h = cassDefaults('paper')
  const batch = batchArg ?? Number(h.batchSize)
  const cnn = buildBackbone('resnet50', { imageSize: 224, headClasses: Number(h.outDim), seed: 1 })
  const vit = buildBackbone('vit_b16', { imageSize: 224, headClasses: Number(h.outDim), seed: 2 })
  const plan = await planCassMicroBatches(
    cnn,
    vit,
    224,
    batch,
    microArg,
    process.argv.includes('--net-by-net'),
  )
  const x = images(batch, 224)
  const parts = {
    cnn,
    vit,
    cnnOptimizer: createAdam({ learningRate: Number(h.lr) }),
    vitOptimizer: createAdam({ learningRate: Number(h.lr) }),
  }
  const t0 = performance.now()
  const profile = bufferPeak(() => {
    cassStep(parts, x, plan.microBatches, plan.netByNet)
  })
  const seconds = (performance.now() - t0) / 1000
  return [
    `CASS paper preset, ResNet-50 + ViT-B/16, batch ${batch} at 224 px, ${cnn.parameterCount() + vit.parameterCount()} parameters`,
    `plan: ${plan.summary}`,
    `one step in ${plan.microBatches} micro-batches: ${seconds.toFixed(0)} s; tensors' peak ${formatBytes(profile.peakBytes)} (above the weights)`,
  ]
}

async function child(method: string): Promise<void> {
  const threads = arg('threads') ? Number(arg('threads')) : undefined
  const backend = await selectBackend({ backend: 'wasm', threads })
  const batch = arg('batch') ? Number(arg('batch')) : null
  const micro = arg('micro-batches') ? Number(arg('micro-batches')) : 0
  const lines = method === 'dino' ? await dino(batch, micro) : await cass(batch, micro)
  const heap = heapBytes()
  lines.push(
    `wasm heap ${formatBytes(heap)} of ${formatBytes(wasmHeapLimitBytes)} (${backend.device}, ${backend.threads} threads); peak RSS ${formatBytes(process.resourceUsage().maxRSS * 1024)}`,
    `fits the wasm heap: ${heap > 0 && heap <= wasmHeapLimitBytes ? 'met' : 'not met'}`,
  )
  console.log(lines.join('\n'))
}

const method = arg('method')
if (method) {
  child(method).catch((e: Error) => {
    console.error(e.stack ?? e.message)
    process.exit(1)
  })
} else {
  for (const m of ['dino', 'cass']) {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', __filename, '--method', m, ...process.argv.slice(2)],
      { stdio: 'inherit', env: { ...process.env, S4MI_BACKEND: '' } },
    )
    if (run.status !== 0) console.log(`${m}: failed (exit ${run.status})`)
    console.log('')
  }
}
