import * as tf from '@tensorflow/tfjs'
import type { Module } from './module'
import { arraysEqual } from './module'
import { fromTorchLayout, toTorchLayout } from './torchLayout'
import type { Float32Tensor, SafetensorsFile } from './safetensors'

/**
 * Weights in and out, by torch state-dict names and in torch layout, so a file written here loads in
 * PyTorch and a timm/torchvision `.safetensors` file loads here.
 */

export interface LoadOptions {
  /** Missing or unexpected tensors are errors (torch's strict=True). Default true. Wrong shapes always are. */
  strict?: boolean
  /**
   * Use only file tensors under this prefix, with it removed: `{ prefix: 'encoder.' }` loads the
   * encoder of a saved U-Net into a bare ResNet.
   */
  prefix?: string
  /** File tensors to skip silently. Default: BatchNorm's `num_batches_tracked` counters. */
  ignore?: (name: string) => boolean
}

export interface LoadReport {
  loaded: string[]
  /** Module tensors the file did not provide (left as they were). */
  missing: string[]
  /** File tensors the module has no place for. */
  unexpected: string[]
}

export class WeightsMismatchError extends Error {
  constructor(
    readonly source: string,
    readonly missing: string[],
    readonly unexpected: string[],
    readonly misshaped: string[],
  ) {
    const parts: string[] = []
    if (misshaped.length)
      parts.push(`mis-shaped tensors (file vs model, torch layout): ${listNames(misshaped)}`)
    if (missing.length) parts.push(`missing tensors: ${listNames(missing)}`)
    if (unexpected.length) parts.push(`unexpected tensors: ${listNames(unexpected)}`)
    super(`${source} does not fit the model. ${parts.join('; ')}`)
    this.name = 'WeightsMismatchError'
  }
}

function listNames(names: string[], limit = 12): string {
  const shown = names.slice(0, limit).join(', ')
  return names.length > limit ? `${shown} … (${names.length} in all)` : `${shown} (${names.length})`
}

const skipBatchCounters = (name: string): boolean => name.endsWith('num_batches_tracked')

export interface StateDictFit {
  /** [file name, module name] pairs whose shapes agree. */
  matches: [string, string][]
  missing: string[]
  unexpected: string[]
  /** `name [file shape] vs [model shape]`, torch layout. */
  misshaped: string[]
}

/**
 * How a weight file lines up with a module, by name and torch-layout shape, without touching any
 * tensor: works on shape-only modules (used to recognise which architecture a file holds).
 */
export function matchStateDict(
  module: Module,
  file: SafetensorsFile,
  options: LoadOptions = {},
): StateDictFit {
  const prefix = options.prefix ?? ''
  const ignore = options.ignore ?? skipBatchCounters
  const slots = module.stateDict()
  const unexpected: string[] = []
  const misshaped: string[] = []
  const matches: [string, string][] = []
  for (const fileName of file.tensors.keys()) {
    if (!fileName.startsWith(prefix) || ignore(fileName)) continue
    const name = fileName.slice(prefix.length)
    const slot = slots.get(name)
    if (!slot) {
      unexpected.push(fileName)
      continue
    }
    const shape = file.tensors.get(fileName)!.shape
    if (!arraysEqual(shape, slot.torchShape)) {
      misshaped.push(`${fileName} [${shape}] vs [${slot.torchShape}]`)
      continue
    }
    matches.push([fileName, name])
  }
  const matched = new Set(matches.map(([, name]) => name))
  const shapeWrong = new Set(misshaped.map((m) => m.slice(prefix.length, m.indexOf(' ['))))
  const missing = [...slots.keys()]
    .filter((n) => !matched.has(n) && !shapeWrong.has(n))
    .map((n) => prefix + n)
  return { matches, missing, unexpected, misshaped }
}

/** Copy a parsed weight file into `module`. Throws WeightsMismatchError naming every problem at once. */
export function loadStateDict(module: Module, file: SafetensorsFile, options: LoadOptions = {}): LoadReport {
  const strict = options.strict ?? true
  const { matches, missing, unexpected, misshaped } = matchStateDict(module, file, options)
  if (misshaped.length || (strict && (missing.length || unexpected.length))) {
    throw new WeightsMismatchError(file.source, strict ? missing : [], strict ? unexpected : [], misshaped)
  }
  const slots = module.stateDict()
  const loaded: string[] = []
  for (const [fileName, name] of matches) {
    const entry = file.tensors.get(fileName)!
    const slot = slots.get(name)!
    tf.tidy(() => slot.assign(fromTorchLayout(tf.tensor(entry.toFloat32(), entry.shape), slot.layout)))
    loaded.push(name)
  }
  return { loaded, missing, unexpected }
}

/** The module's state dict as float32 arrays in torch layout, under torch names. */
export function exportStateDict(module: Module, prefix = ''): Map<string, Float32Tensor> {
  const out = new Map<string, Float32Tensor>()
  for (const [name, slot] of module.stateDict()) {
    const torchValue = tf.tidy(() => tf.cast(toTorchLayout(slot.value, slot.layout), 'float32'))
    out.set(prefix + name, { shape: torchValue.shape, data: torchValue.dataSync() as Float32Array })
    torchValue.dispose()
  }
  return out
}
