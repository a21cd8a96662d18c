// Expected memory of a training job, stated before it starts: weights + gradients + optimiser state, plus the
// activations tfjs keeps for the backward pass and the backward pass's own working memory (both measured once
// on a single small sample and scaled up).
import * as tf from '@tensorflow/tfjs'
import type { Machine } from './machine'
import { freeingGradients } from './freeingBackward'

export type OptimizerKind = 'adam' | 'adamw' | 'sgd' | 'sgdMomentum'

/** float32 slots each optimiser keeps per parameter (Adam: m and v; SGD with momentum: one buffer). */
const stateSlots: Record<OptimizerKind, number> = { adam: 2, adamw: 2, sgd: 0, sgdMomentum: 1 }

export interface MemoryEstimateInput {
  parameterCount: number
  /** Bytes of forward activations for ONE sample, e.g. from measureActivationBytesPerSample. */
  activationBytesPerSample: number
  /**
   * Backward-pass working memory for ONE sample beyond its activations, e.g. from measureBackwardBytesPerSample
   * minus the activations. Default: as much as the activations (bench:train's small U-Nets, see below).
   */
  workingBytesPerSample?: number
  batchSize: number
  optimizer: OptimizerKind
  /** Nets trained together (cross teaching trains two; DINO keeps a teacher copy: count it as a net). */
  networks?: number
  /** Weights held with no gradient or optimiser state (DINO's EMA teacher). */
  frozenParameterCount?: number
}

export interface MemoryEstimate {
  parameterBytes: number
  gradientBytes: number
  optimizerStateBytes: number
  activationBytes: number
  /** Backward-pass working memory: activation gradients and kernel temporaries, about the activations again. */
  workingBytes: number
  totalBytes: number
  /** One line for the job log / UI, e.g. "expected memory ~5.1 GB (...)". */
  summary: string
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}

export function estimateTrainingMemory(input: MemoryEstimateInput): MemoryEstimate {
  const { parameterCount, activationBytesPerSample, batchSize, optimizer } = input
  const networks = input.networks ?? 1
  const frozenParameterCount = input.frozenParameterCount ?? 0
  for (const [field, value] of Object.entries({
    parameterCount,
    frozenParameterCount,
    activationBytesPerSample,
    workingBytesPerSample: input.workingBytesPerSample ?? 0,
    batchSize,
    networks,
  })) {
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`estimateTrainingMemory: ${field} must be >= 0, got ${value}`)
  }
  if (!(optimizer in stateSlots)) throw new Error(`estimateTrainingMemory: unknown optimizer '${optimizer}'`)
  const trainedBytes = 4 * parameterCount * networks
  const parameterBytes = trainedBytes + 4 * frozenParameterCount
  const gradientBytes = trainedBytes
  const optimizerStateBytes = trainedBytes * stateSlots[optimizer]
  const activationBytes = activationBytesPerSample * batchSize * networks
  // While backpropagating, activation gradients and the backward kernels' temporaries coexist with the stored
  // activations. bench:train measured a step's peak at 1.9-2.1x the stored activations on small U-Nets, so the
  // allowance unmeasured is as large again; ViT-B/16 held 3.7x under tfjs's own backward pass, which frees no
  // activation gradient before it ends, and less under the freeing pass (freeingBackward.ts) the steps use:
  // planTrainingMemory measures it.
  const workingBytes = (input.workingBytesPerSample ?? activationBytesPerSample) * batchSize * networks
  const totalBytes = parameterBytes + gradientBytes + optimizerStateBytes + activationBytes + workingBytes
  const summary =
    `expected memory ~${formatBytes(totalBytes)} (weights ${formatBytes(parameterBytes)}, gradients ` +
    `${formatBytes(gradientBytes)}, ${optimizer} state ${formatBytes(optimizerStateBytes)}, activations ` +
    `${formatBytes(activationBytes + workingBytes)} at batch ${batchSize}${networks > 1 ? `, ${networks} nets` : ''})`
  return {
    parameterBytes,
    gradientBytes,
    optimizerStateBytes,
    activationBytes,
    workingBytes,
    totalBytes,
    summary,
  }
}

/** Kernels whose output shares its input's memory. */
const VIEW_KERNELS = new Set(['Reshape'])

/** One zero sample of `sampleShape` scaled by `spatialScale` in (0, 1], and full-size pixels per measured pixel. */
function measuredSample(
  sampleShape: [number, number, number],
  spatialScale: number,
): { x: tf.Tensor4D; pixelRatio: number } {
  if (!(spatialScale > 0 && spatialScale <= 1))
    throw new Error(`spatialScale must be in (0, 1], got ${spatialScale}`)
  const [h, w, c] = sampleShape
  const sh = Math.max(1, Math.round(h * spatialScale))
  const sw = Math.max(1, Math.round(w * spatialScale))
  return { x: tf.zeros([1, sh, sw, c]) as tf.Tensor4D, pixelRatio: (h * w) / (sh * sw) }
}

/**
 * Bytes of all tensors a forward pass creates for one sample of `sampleShape` (e.g. [224, 224, 3]): what the
 * backward pass keeps alive. With `spatialScale` < 1 it runs on a smaller image and scales by the pixel ratio,
 * which is exact for convolutional nets (activations grow with pixels) and an underestimate for attention
 * over all tokens (which grows with pixels squared): measure those at full size.
 */
export async function measureActivationBytesPerSample(
  forward: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[],
  sampleShape: [number, number, number],
  spatialScale = 1,
): Promise<number> {
  const { x, pixelRatio } = measuredSample(sampleShape, spatialScale)
  const info = await tf.profile(() => forward(x))
  tf.dispose(info.result)
  x.dispose()
  // Kernel outputs, summed: tfjs keeps every one of them alive for the gradients while a step runs. A
  // Reshape's output is a view of its input's data in every backend (tfjs counts its bytes again): not
  // counted, or the Swin-UNet's ~370 reshapes would add a third to its estimate.
  const bytes = info.kernels.reduce((sum, k) => sum + (VIEW_KERNELS.has(k.name) ? 0 : k.bytesAdded), 0)
  return Math.round(bytes * pixelRatio)
}

/**
 * Peak bytes of one sample's forward AND backward pass (the gradient of every output's mean square with
 * respect to the input, which runs the backward through every layer), above what was allocated before:
 * the activations plus the activation gradients alive at once, as the training steps' backward pass
 * (freeingBackward.ts) frees them; tfjs's own (tape.ts backpropagateGradients) keeps them all to the end.
 * The weights' gradients are not in it: estimateTrainingMemory counts them. Scaled by pixels from
 * `spatialScale` as measureActivationBytesPerSample is. Null when the forward runs a kernel with no gradient
 * (PiCIE's cluster assignment, an Equal): it cannot be back-propagated whole.
 */
export async function measureBackwardBytesPerSample(
  forward: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[],
  sampleShape: [number, number, number],
  spatialScale = 1,
): Promise<number | null> {
  const { x, pixelRatio } = measuredSample(sampleShape, spatialScale)
  const before = tf.memory().numBytes
  // A kernel with no gradient throws inside the profile, which would leave tfjs profiling every later kernel:
  // caught in it, and the measurement is null.
  let failure: Error | null = null
  const info = await tf.profile(() => {
    try {
      // The training steps' own backward pass (freeingBackward.ts), which frees as it goes.
      const { value, grads } = freeingGradients(() => {
        const outputs = [forward(x)].flat()
        return tf.addN(outputs.map((o) => tf.mean(tf.square(o))))
      }, [x])
      value.dispose()
      return grads.filter((g) => g != null)
    } catch (e) {
      // freeingGradients has already disposed the forward's saved tensors and closed the tape.
      failure = e as Error
      return []
    }
  })
  tf.dispose(info.result)
  x.dispose()
  if (failure != null) {
    if (/gradient function not found/.test((failure as Error).message)) return null
    throw failure
  }
  return Math.round(Math.max(0, info.peakBytes - before) * pixelRatio)
}

/** The wasm backend is wasm32: one heap of at most 4 GiB (emscripten's getHeapMax), whatever the machine has. */
export const wasmHeapLimitBytes = 4294901760

/**
 * WebGPU and WebGL say nothing of the GPU's own memory, and a step that does not fit loses the device (the run
 * fails). So the GPU training window plans for 4 GiB, what most lab GPUs have at least, unless the host says
 * how much this one has (S4MI_GPU_MEMORY_GB, machine.ts).
 */
const defaultGpuMemoryBytes = 4 * 2 ** 30

/**
 * The machine's RAM when the caller does not say (a trainer in a browser page cannot ask): the wasm heap's
 * size, so a step is split rather than run out of memory, and wasm plans as it would anyway.
 */
const unknownMachineMemoryBytes = wasmHeapLimitBytes

/**
 * Memory a training step on `tfjsBackend` can use: the wasm heap cap, the GPU's memory (WebGPU, WebGL), else
 * the machine's RAM (given by the run's host).
 */
export function backendMemoryLimit(tfjsBackend: string, machine?: Machine): number {
  if (tfjsBackend === 'webgpu' || tfjsBackend === 'webgl')
    return machine?.gpuMemoryBytes ?? defaultGpuMemoryBytes
  const total = machine?.totalMemoryBytes ?? unknownMachineMemoryBytes
  return tfjsBackend === 'wasm' ? Math.min(wasmHeapLimitBytes, total) : total
}

/**
 * How many micro-batches (gradient accumulation) a step must be split into so its estimate stays under 80 % of
 * `limitBytes`. Weights, gradients and optimiser state do not shrink with the batch; activations do. A split
 * step holds the running sum of the gradients in the gradients' place: each variable's fresh gradient is added
 * in as soon as it is final (gradientAccumulation.ts), so no second set is counted. Throws, naming the sizes,
 * when even a batch of one cannot fit.
 */
export function microBatchesNeeded(estimate: MemoryEstimate, batchSize: number, limitBytes: number): number {
  const budget = 0.8 * limitBytes
  const fixed = estimate.parameterBytes + estimate.gradientBytes + estimate.optimizerStateBytes
  const perSample = (estimate.activationBytes + estimate.workingBytes) / batchSize
  if (fixed + perSample * batchSize <= budget) return 1
  if (fixed + perSample > budget) {
    throw new Error(
      `a training step needs ${formatBytes(fixed + perSample)} even at batch 1, over the ${formatBytes(budget)} available`,
    )
  }
  const samplesPerMicroBatch = Math.max(1, Math.floor((budget - fixed) / Math.max(perSample, 1)))
  return Math.ceil(batchSize / Math.min(batchSize, samplesPerMicroBatch))
}

export interface MemoryPlan {
  estimate: MemoryEstimate
  limitBytes: number
  /** 1 when the batch fits; else split each step into this many micro-batches (gradient accumulation). */
  microBatches: number
  /** What the job prints before it starts. */
  summary: string
}

/**
 * The memory statement a training job makes before it starts: measures the net's activations and its backward
 * pass's working memory on one sample (at `spatialScale` of the image side, scaled back up; keep 1 for
 * attention over all tokens), adds weights, gradients and optimiser state, and checks the result against the
 * active backend's limit.
 */
export async function planTrainingMemory(options: {
  forward: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[]
  parameterCount: number
  sampleShape: [number, number, number]
  batchSize: number
  optimizer: OptimizerKind
  networks?: number
  frozenParameterCount?: number
  spatialScale?: number
  /** The machine, from the run's host; absent: unknownMachineMemoryBytes and a GPU of 4 GiB. */
  machine?: Machine
}): Promise<MemoryPlan> {
  const activationBytesPerSample = await measureActivationBytesPerSample(
    options.forward,
    options.sampleShape,
    options.spatialScale ?? 1,
  )
  // Null (a kernel with no gradient): the working memory is then the unmeasured allowance.
  const backwardBytesPerSample = await measureBackwardBytesPerSample(
    options.forward,
    options.sampleShape,
    options.spatialScale ?? 1,
  )
  const estimate = estimateTrainingMemory({
    ...options,
    activationBytesPerSample,
    workingBytesPerSample:
      backwardBytesPerSample == null
        ? undefined
        : Math.max(0, backwardBytesPerSample - activationBytesPerSample),
  })
  const limitBytes = backendMemoryLimit(tf.getBackend(), options.machine)
  const microBatches = microBatchesNeeded(estimate, options.batchSize, limitBytes)
  const split =
    microBatches > 1
      ? `; over the ${tf.getBackend()} limit of ${formatBytes(limitBytes)}, so each step runs as ${microBatches} micro-batches`
      : ''
  return { estimate, limitBytes, microBatches, summary: estimate.summary + split }
}
