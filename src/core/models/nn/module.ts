import * as tf from '@tensorflow/tfjs'
import { TorchLayout, torchShapeOf } from './torchLayout'

/**
 * A small module system over tfjs, shaped like torch.nn so that dotted state-dict names
 * (`layer1.0.conv1.weight`, `bn1.running_mean`) are exactly torchvision/timm names.
 * Tensors are NHWC; each tensor keeps its tfjs layout and knows how to convert to torch layout
 * (see torchLayout.ts), so weight files stay interchangeable with PyTorch.
 */

export type TensorKind = 'parameter' | 'buffer'

/** Makes the initial value of a tensor; called once per tensor unless building shape-only. */
export type Initializer = (shape: number[], seed: number | undefined) => tf.Tensor

export interface TensorSlotOptions {
  kind?: TensorKind
  layout?: TorchLayout
  dtype?: 'float32' | 'int32'
  /** Buffers only: false keeps the tensor out of state dicts (torch `persistent=False`). */
  persistent?: boolean
}

/** One named tensor of a module: a trainable parameter or a buffer such as BatchNorm running stats. */
export class TensorSlot {
  readonly shape: number[]
  readonly kind: TensorKind
  readonly layout: TorchLayout
  readonly dtype: 'float32' | 'int32'
  readonly persistent: boolean
  private variable: tf.Variable | null

  constructor(shape: number[], variable: tf.Variable | null, options: TensorSlotOptions) {
    this.shape = shape
    this.kind = options.kind ?? 'parameter'
    this.layout = options.layout ?? 'identity'
    this.dtype = options.dtype ?? 'float32'
    this.persistent = options.persistent ?? true
    this.variable = variable
  }

  /** Shape in the torch layout: what a torchvision/timm state dict holds under this name. */
  get torchShape(): number[] {
    return torchShapeOf(this.shape, this.layout)
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1)
  }

  get built(): boolean {
    return this.variable !== null
  }

  /** The live tensor. Throws for modules built shape-only (they exist to count parameters). */
  get value(): tf.Variable {
    if (!this.variable)
      throw new Error('this module was built shape-only (for counting); it holds no tensors')
    return this.variable
  }

  /** Replace the value (same shape); the old tensor is disposed by tfjs' assign. */
  assign(value: tf.Tensor): void {
    if (!arraysEqual(value.shape, this.shape)) {
      throw new Error(`cannot assign shape [${value.shape}] to a tensor of shape [${this.shape}]`)
    }
    this.value.assign(value.dtype === this.dtype ? value : tf.cast(value, this.dtype))
  }

  dispose(): void {
    this.variable?.dispose()
    this.variable = null
  }
}

let shapeOnlyDepth = 0
let seedStream: { next: number; seed: number; noiseSources: number } | null = null

/**
 * Build modules without allocating tensors, e.g. to count the parameters of ResNet-50 or ViT-B/16
 * in milliseconds. `slot.value` throws on such modules.
 */
export function buildShapeOnly<T>(build: () => T): T {
  shapeOnlyDepth++
  try {
    return build()
  } finally {
    shapeOnlyDepth--
  }
}

/** Build modules whose random initial values are a function of `seed` (reproducible runs). */
export function buildSeeded<T>(seed: number, build: () => T): T {
  const previous = seedStream
  seedStream = { next: Math.trunc(seed) * 1_000_003 + 17, seed: Math.trunc(seed), noiseSources: 0 }
  try {
    return build()
  } finally {
    seedStream = previous
  }
}

/**
 * The seed of a module's training noise (dropout, stochastic depth) when it is built inside buildSeeded:
 * distinct per module, a function of the build's seed, drawn apart from the initial values' stream so
 * adding a noise source never changes any initial weight. Undefined outside buildSeeded.
 */
export function noiseSeed(): number | undefined {
  if (!seedStream) return undefined
  seedStream.noiseSources++
  return (
    (Math.imul(seedStream.seed + 0x632be5ab, 0x9e3779b1) ^ Math.imul(seedStream.noiseSources, 0x85ebca6b)) >>>
    0
  )
}

function nextSeed(): number | undefined {
  if (!seedStream) return undefined
  seedStream.next = (seedStream.next * 48271 + 11) % 2147483647
  return seedStream.next
}

export abstract class Module {
  /** Training mode switches BatchNorm statistics, dropout and stochastic depth, like torch. */
  training = true
  private readonly childModules = new Map<string, Module>()
  private readonly slots = new Map<string, TensorSlot>()

  /** Register a child; its tensors are named `<name>.<their name>`. Returns the child for chaining. */
  protected addModule<M extends Module>(name: string, module: M): M {
    checkName(name, this.childModules, this.slots)
    module.train(this.training)
    this.childModules.set(name, module)
    return module
  }

  /** Put a new module in place of an existing child (e.g. a fresh classification head). */
  protected replaceModule<M extends Module>(name: string, module: M): M {
    if (!this.childModules.has(name)) throw new Error(`no child '${name}' to replace`)
    module.train(this.training)
    this.childModules.set(name, module)
    return module
  }

  /** Register a tensor. The initializer runs now, unless building shape-only. */
  protected addTensor(
    name: string,
    shape: number[],
    init: Initializer,
    options: TensorSlotOptions = {},
  ): TensorSlot {
    checkName(name, this.childModules, this.slots)
    const kind = options.kind ?? 'parameter'
    let variable: tf.Variable | null = null
    if (shapeOnlyDepth === 0) {
      const seed = nextSeed()
      const initial = tf.tidy(() => {
        const t = init(shape, seed)
        if (!arraysEqual(t.shape, shape)) {
          throw new Error(`initializer for '${name}' made shape [${t.shape}], expected [${shape}]`)
        }
        return options.dtype && t.dtype !== options.dtype ? tf.cast(t, options.dtype) : t
      })
      variable = tf.variable(initial, kind === 'parameter', undefined, options.dtype)
      initial.dispose()
    }
    const slot = new TensorSlot(shape, variable, options)
    this.slots.set(name, slot)
    return slot
  }

  /** Direct children in registration order. */
  children(): [string, Module][] {
    return [...this.childModules.entries()]
  }

  /** Every tensor (parameters and buffers) with its full dotted name, in registration order. */
  namedTensors(prefix = ''): [string, TensorSlot][] {
    const out: [string, TensorSlot][] = []
    for (const [name, slot] of this.slots) out.push([prefix + name, slot])
    for (const [name, child] of this.childModules) out.push(...child.namedTensors(`${prefix}${name}.`))
    return out
  }

  namedParameters(prefix = ''): [string, TensorSlot][] {
    return this.namedTensors(prefix).filter(([, s]) => s.kind === 'parameter')
  }

  /** Trainable variables (parameters not frozen with `requiresGrad(false)`), for optimizers and tf.variableGrads. */
  parameters(): tf.Variable[] {
    return this.namedParameters()
      .map(([, s]) => s.value)
      .filter((v) => v.trainable)
  }

  /** Everything a weight file holds for this module: parameters and persistent buffers, tfjs layout. */
  stateDict(): Map<string, TensorSlot> {
    return new Map(this.namedTensors().filter(([, s]) => s.kind === 'parameter' || s.persistent))
  }

  /** Number of parameter scalars (buffers excluded, as torch's `sum(p.numel() for p in parameters())`). */
  parameterCount(): number {
    return this.namedParameters().reduce((n, [, s]) => n + s.size, 0)
  }

  /** Switch training mode for this module and all descendants (torch `module.train(mode)`). */
  train(mode = true): this {
    this.training = mode
    for (const child of this.childModules.values()) child.train(mode)
    return this
  }

  eval(): this {
    return this.train(false)
  }

  /** Freeze or unfreeze every parameter below this module. */
  requiresGrad(on: boolean): this {
    for (const [, s] of this.namedParameters()) if (s.built) s.value.trainable = on
    return this
  }

  /** Look a child up by dotted path, e.g. `layer1.0`. */
  getModule(path: string): Module {
    const [head, ...rest] = path.split('.')
    const next = this.childModules.get(head)
    if (!next) throw new Error(`no submodule '${head}' in path '${path}'`)
    return rest.length ? next.getModule(rest.join('.')) : next
  }

  dispose(): void {
    for (const slot of this.slots.values()) slot.dispose()
    for (const child of this.childModules.values()) child.dispose()
  }
}

/** A module mapping one tensor to one tensor: what Sequential can chain. */
export interface TensorModule extends Module {
  forward(x: tf.Tensor): tf.Tensor
}

function checkName(name: string, children: Map<string, unknown>, slots: Map<string, unknown>): void {
  if (!name || name.includes('.')) throw new Error(`invalid module or tensor name '${name}'`)
  if (children.has(name) || slots.has(name)) throw new Error(`name '${name}' registered twice`)
}

export function arraysEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}
