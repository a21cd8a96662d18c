import * as tf from '@tensorflow/tfjs'

/**
 * A backward pass that frees memory as it goes. tfjs's own (engine.ts `gradients`, tape.ts
 * `backpropagateGradients`, tfjs-core 4.22) keeps every activation gradient and every tensor the forward
 * saved for the backward until the whole pass ends, so its peak is the activations plus the gradients of
 * all of them: 2.3× the forward for ResNet-50 and 3.7× for ViT-B/16 (measured, memoryEstimate.ts). Walking
 * the same tape backward, a tensor's gradient is not needed once the node that produced it has been
 * back-propagated (every node that used the tensor came later in the tape, so earlier in the walk), and a
 * node's saved tensors are not needed once its own gradients are computed: both are disposed there. The
 * gradients are the same numbers (the same kernels in the same order); only when they are freed changes.
 *
 * It drives tfjs's tape through the engine object, whose shape is checked (freeingBackward.test.ts) so a
 * tfjs upgrade that changes it fails loudly rather than silently.
 */

interface TapeNode {
  id: number
  kernelName: string
  inputs: Record<string, tf.Tensor>
  outputs: tf.Tensor[]
  saved?: tf.Tensor[]
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>
}

interface TapeEngine {
  state: { activeTape: TapeNode[] | null; gradientDepth: number }
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T
  startTape(): void
  endTape(): void
  tidy<T>(name: string | (() => T), f?: () => T): T
}

/** The engine's tape methods, or an error naming what this tfjs lacks. */
export function tapeEngine(): TapeEngine {
  const engine = tf.engine() as unknown as TapeEngine
  for (const method of ['scopedRun', 'startTape', 'endTape', 'tidy'] as const) {
    if (typeof engine[method] !== 'function')
      throw new Error(
        `freeingBackward: this tfjs's engine has no ${method}(); it was written for tfjs-core 4.22`,
      )
  }
  if (!engine.state || typeof engine.state.gradientDepth !== 'number')
    throw new Error("freeingBackward: this tfjs's engine state has no gradientDepth (written for 4.22)")
  return engine
}

/** The nodes on a path from some x to y, each with only its inputs that depend on an x (tape.ts's filter). */
function nodesFromXsToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id))
  const nodesFromX = new Set<number>()
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => fromX.has(input.id))) {
      nodesFromX.add(node.id)
      for (const o of node.outputs) fromX.add(o.id)
    }
  }
  const toY = new Set([y.id])
  const nodesToY = new Set<number>()
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]
    if (node.outputs.some((o) => toY.has(o.id))) {
      nodesToY.add(node.id)
      for (const input of Object.values(node.inputs)) toY.add(input.id)
    }
  }
  return tape
    .filter((node) => nodesFromX.has(node.id) && nodesToY.has(node.id))
    .map((node) => ({
      ...node,
      inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, input]) => fromX.has(input.id))),
    }))
}

/**
 * Takes x number `index`'s gradient the moment it is final (every node that used x has been walked), to add
 * it into a running sum: the pass frees it after the call, so whatever is kept must be a new tensor (an add,
 * a clone) passed through tf.keep. That x's entry in the returned grads is then null.
 */
export type FinalGradient = (index: number, gradient: tf.Tensor) => void

/**
 * The gradients of the scalar (or any tensor, summed) `f()` with respect to `xs`, as tfjs's
 * `engine.gradients(f, xs, null, true)` returns them (null where y does not depend on an x), with activation
 * gradients and saved tensors freed during the walk. Not for higher-order gradients (inside another
 * gradient's function): there it defers to tfjs's own pass. With `onGradient`, each x's gradient is handed
 * over as soon as it is final instead of held to the end: gradient accumulation then never holds a whole
 * second set of weight gradients beside its running sum.
 */
export function freeingGradients(
  f: () => tf.Tensor,
  xs: readonly tf.Tensor[],
  onGradient?: FinalGradient,
): { value: tf.Tensor; grads: (tf.Tensor | null)[] } {
  if (xs.length === 0) throw new Error('freeingGradients: no tensors to differentiate with respect to')
  const engine = tapeEngine()
  if (engine.state.gradientDepth > 0) {
    const { value, grads } = (
      engine as unknown as {
        gradients(
          f: () => tf.Tensor,
          xs: tf.Tensor[],
          dy: null,
          allow: boolean,
        ): { value: tf.Tensor; grads: tf.Tensor[] }
      }
    ).gradients(f, [...xs], null, true)
    if (onGradient) {
      grads.forEach((g, i) => {
        if (g == null) return
        onGradient(i, g)
        g.dispose()
      })
      return { value, grads: grads.map(() => null) }
    }
    return { value, grads }
  }
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => engine.tidy('forward', f),
  )
  if (!(y instanceof tf.Tensor)) throw new Error('freeingGradients: f() must return a tensor')
  const tape = engine.state.activeTape ?? []
  const xIds = new Set(xs.map((x) => x.id))
  try {
    return engine.tidy('backward', () => {
      // Tensor id → its gradient so far. A gradient function may hand a dy on unchanged as an input's
      // gradient, so one gradient tensor can stand for several tensors: `holders` counts them, and a
      // gradient is disposed only when nothing holds it any more.
      const gradientOf = new Map<number, tf.Tensor>()
      const holders = new Map<tf.Tensor, number>()
      const hold = (id: number, g: tf.Tensor) => {
        gradientOf.set(id, g)
        holders.set(g, (holders.get(g) ?? 0) + 1)
      }
      const release = (id: number) => {
        const g = gradientOf.get(id)
        if (g == null) return
        gradientOf.delete(id)
        const left = (holders.get(g) ?? 1) - 1
        if (left > 0) holders.set(g, left)
        else {
          holders.delete(g)
          g.dispose()
        }
      }
      hold(y.id, tf.onesLike(y))
      const nodes = nodesFromXsToY(tape, xs, y)
      // Where each x is used for the first time in the tape: its gradient is final once the walk is there.
      const indexOfX = new Map(xs.map((x, i) => [x.id, i]))
      const firstUse = new Map<number, number>()
      nodes.forEach((node, i) => {
        for (const input of Object.values(node.inputs))
          if (xIds.has(input.id) && !firstUse.has(input.id)) firstUse.set(input.id, i)
      })
      for (let i = nodes.length - 1; i >= 0; i--) {
        const node = nodes[i]
        if (!node.gradient)
          throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`)
        const inputGradients = node.gradient(node.outputs.map((o) => gradientOf.get(o.id) ?? null))
        for (const [name, x] of Object.entries(node.inputs)) {
          if (!(name in inputGradients))
            throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`)
          const dx = engine.tidy(() => inputGradients[name]())
          if (dx.dtype !== 'float32')
            throw new Error(`The gradient of ${node.kernelName}'s input ${name} is ${dx.dtype}, not float32`)
          if (!tf.util.arraysEqual(dx.shape, x.shape))
            throw new Error(
              `The gradient of ${node.kernelName}'s input ${name} has shape ${dx.shape}, not ${x.shape}`,
            )
          const current = gradientOf.get(x.id)
          if (current == null) {
            hold(x.id, dx)
          } else {
            const sum = tf.add(current, dx)
            release(x.id)
            hold(x.id, sum)
            if (!holders.has(dx)) dx.dispose()
          }
        }
        // Every node that used this node's outputs came later in the tape, so was walked already: their
        // gradients have no further use (an x's own is kept), nor has this node's saved forward tensors.
        for (const o of node.outputs) if (!xIds.has(o.id)) release(o.id)
        for (const t of node.saved ?? []) t.dispose()
        if (onGradient)
          for (const x of Object.values(node.inputs)) {
            const g = firstUse.get(x.id) === i ? gradientOf.get(x.id) : undefined
            if (g == null) continue
            onGradient(indexOfX.get(x.id)!, g)
            release(x.id)
          }
      }
      return { value: y, grads: xs.map((x) => gradientOf.get(x.id) ?? null) }
    })
  } catch (e) {
    y.dispose()
    throw e
  } finally {
    for (const node of tape) for (const t of node.saved ?? []) t.dispose()
    engine.state.activeTape = null
  }
}

/** `tf.variableGrads(f, variables)` with the freeing backward pass: named gradients of the trainable ones. */
export function freeingVariableGrads(
  f: () => tf.Scalar,
  variables: readonly tf.Variable[],
  onGradient?: (name: string, gradient: tf.Tensor) => void,
): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const trainable = variables.filter((v) => v.trainable)
  if (trainable.length === 0) throw new Error('freeingVariableGrads: none of the variables is trainable')
  let handed = 0
  const { value, grads } = freeingGradients(
    f,
    trainable,
    onGradient &&
      ((i, g) => {
        handed++
        onGradient(trainable[i].name, g)
      }),
  )
  if (value.rank !== 0)
    throw new Error(`freeingVariableGrads: f must return a scalar, got rank ${value.rank}`)
  if (handed === 0 && grads.every((g) => g == null)) {
    value.dispose()
    throw new Error('freeingVariableGrads: the loss does not depend on any of the variables')
  }
  const named: Record<string, tf.Tensor> = {}
  trainable.forEach((v, i) => {
    const g = grads[i]
    if (g != null) named[v.name] = g
  })
  return { value: value as tf.Scalar, grads: named }
}
