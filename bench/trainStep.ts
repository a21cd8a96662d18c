// One bench:train measurement in its own process (the wasm thread count is fixed per process): builds a
// case, runs a profiled warm-up step (peak memory, kernel times) and timed steps, prints one JSON line.
import * as tf from '@tensorflow/tfjs'
import { selectBackend, type BackendChoice } from '../src/core/engine/backend/selectBackend'
import { accumulateGradients, microBatchSlices } from '../src/core/engine/gradientAccumulation'
import { createAdam } from '../src/core/engine/optim/adam'
import {
  backendMemoryLimit,
  estimateTrainingMemory,
  formatBytes,
  measureActivationBytesPerSample,
  microBatchesNeeded,
} from '../src/core/engine/memoryEstimate'
import { createSeededRandom } from '../src/core/engine/seededRandom'
import { benchCases, type BenchCase, type Net } from './trainCases'

export interface StepRequest {
  caseName: string
  backend: BackendChoice
  threads: number
  steps: number
}

export interface StepResult {
  params: number
  seconds: number
  device: string
  threads: number
  estimate: string
  peak: string
  maxRssBytes: number
  tensorsFlat: boolean
  note: string
  /** The warm-up step's kernels by total time, largest first: [name, ms, calls]. */
  kernels: [string, number, number][]
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
 * e.g. the 4 GiB wasm heap) gradients are accumulated over slices by the engine (gradientAccumulation.ts): same
 * work, same update except that BatchNorm sees each slice's statistics.
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
  const perSample = labels.shape[0] / n
  const { loss, grads } = accumulateGradients(params, microBatchSlices(n, microBatches), (p) =>
    tf.tidy(() => {
      const xs = tf.slice(x, p.start, p.count)
      const ys = tf.slice(labels, p.start * perSample, p.count * perSample)
      return tf.losses.softmaxCrossEntropy(ys, tf.reshape(net.forward(xs), [-1, classes])) as tf.Scalar
    }),
  )
  optimizer.step(
    params,
    params.map((p) => grads[p.name]),
  )
  tf.dispose(Object.values(grads))
  return loss
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Kernel times of a profiled step, summed by name, largest first. */
async function kernelTimes(
  profile: Awaited<ReturnType<typeof tf.profile>>,
): Promise<[string, number, number][]> {
  const byName = new Map<string, [number, number]>()
  for (const k of profile.kernels) {
    const ms = await k.kernelTimeMs
    if (typeof ms !== 'number') continue
    const [total, calls] = byName.get(k.name) ?? [0, 0]
    byName.set(k.name, [total + ms, calls + 1])
  }
  return [...byName.entries()]
    .map(([name, [ms, calls]]): [string, number, number] => [name, ms, calls])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
}

/** A case with its own step (DINO, CASS): a profiled warm-up step, then the timed ones. */
async function measureCustomStep(
  c: BenchCase,
  request: StepRequest,
  device: string,
  threads: number,
): Promise<StepResult> {
  const runner = await c.custom!()
  try {
    // A paper-sized DINO or CASS step runs hundreds of thousands of kernels in its micro-batches: tf.profile
    // then overflows the stack (it spreads every kernel's byte count into Math.max) and keeps a record per
    // kernel. Those warm up unprofiled: RSS is their memory figure, and no kernel table is printed.
    const profile = c.paperSized
      ? (runner.step(), null)
      : await tf.profile(() => {
          runner.step()
        })
    const kernels = profile ? await kernelTimes(profile) : []
    const tensorsAfterWarmup = tf.memory().numTensors
    const times: number[] = []
    for (let i = 0; i < request.steps; i++) {
      const t0 = performance.now()
      runner.step()
      times.push((performance.now() - t0) / 1000)
    }
    return {
      params: runner.parameterCount,
      seconds: median(times),
      device,
      threads,
      estimate: '-',
      peak: profile ? formatBytes(profile.peakBytes) : '-',
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      tensorsFlat: tf.memory().numTensors === tensorsAfterWarmup,
      note: runner.plan,
      kernels,
    }
  } finally {
    runner.dispose()
  }
}

export async function measureStep(request: StepRequest): Promise<StepResult> {
  const c = benchCases().find((k) => k.name === request.caseName)
  if (!c) throw new Error(`unknown case '${request.caseName}'`)
  const backend = await selectBackend({ backend: request.backend, threads: request.threads })
  if (c.custom) return measureCustomStep(c, request, backend.device, backend.threads)
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
    // Warm-up step (creates optimiser state, wasm operators), profiled for the peak memory and kernel times.
    const profile = await tf.profile(() => {
      trainStep(net, optimizer, x, labels, c.classes, microBatches)
    })
    const kernels = await kernelTimes(profile)
    const tensorsAfterWarmup = tf.memory().numTensors
    const times: number[] = []
    for (let i = 0; i < request.steps; i++) {
      const t0 = performance.now()
      trainStep(net, optimizer, x, labels, c.classes, microBatches)
      times.push((performance.now() - t0) / 1000)
    }
    return {
      params: net.parameterCount,
      seconds: median(times),
      device: backend.device,
      threads: backend.threads,
      estimate: formatBytes(estimate.totalBytes),
      peak: formatBytes(profile.peakBytes),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      tensorsFlat: tf.memory().numTensors === tensorsAfterWarmup,
      note: microBatches > 1 ? `${microBatches} micro-batches (memory)` : '',
      kernels,
    }
  } finally {
    optimizer.dispose()
    net.dispose()
    tf.dispose([x, labels])
  }
}
