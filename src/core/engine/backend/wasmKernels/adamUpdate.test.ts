// Adam's update as one kernel on wasm (adamUpdate.ts, adamUpdateWasm.ts) against adam.ts's composed tfjs ops on
// the same backend, bit for bit: three steps, each kind of weight decay, lengths that leave a tail past the
// last whole vector and that span several of the split's chunks. Then the same bits at 1, 2 and 3 threads.
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdam, createAdamW } from '../../optim/adam'
import type { Optimizer } from '../../optim/optimizer'
import { randomValues } from '../fixtures/sameAsCpu'
import { sharedHeap } from '../fixtures/sharedHeap'
import { runSplit, stopHeapThreads, type HeapExports } from '../heapThreads'
import { useWasmBackend } from '../wasmBackend'
import { webAssembly } from '../webAssemblyApi'
import { AdamUpdate, adamElements, adamUpdateConfig } from './adamUpdate'
import { adamModuleBytes } from './adamUpdateWasm'

const shapes = [[3], [5, 7], [8], [3, 4099]]

/** Parameters and moments after three steps of `make()` on fixed gradients; fused or composed. */
function threeSteps(make: () => Optimizer, fused: boolean): Float32Array[] {
  if (!fused) tf.unregisterKernel(AdamUpdate, 'wasm')
  try {
    const optimizer = make()
    const params = shapes.map((s, i) => tf.variable(tf.tensor(randomValues(s, 10 + i), s)))
    const before = tf.memory().numTensors
    for (let step = 0; step < 3; step++) {
      const grads = shapes.map((s, i) => tf.tensor(randomValues(s, 100 * step + i), s))
      optimizer.step(params, grads)
      tf.dispose(grads)
    }
    // Two moments per parameter are new after the first step; nothing else stays.
    expect(tf.memory().numTensors).toBe(before + 2 * shapes.length)
    const state = optimizer.exportState(params)
    const out = [
      ...params.map((p) => Float32Array.from(p.dataSync())),
      ...shapes.flatMap((_, i) => [state[`m.${i}`].values, state[`v.${i}`].values]),
    ]
    optimizer.dispose()
    tf.dispose(params)
    return out
  } finally {
    if (!fused) tf.registerKernel(adamUpdateConfig)
  }
}

describe('Adam as one kernel on wasm', () => {
  beforeAll(async () => {
    await useWasmBackend()
  })

  it.each([
    ['Adam without weight decay', () => createAdam({ learningRate: 0.01 })],
    [
      'Adam with L2 weight decay (the paper preset)',
      () => createAdam({ learningRate: 3.6e-4, weightDecay: 1e-5 }),
    ],
    ['AdamW (decoupled decay)', () => createAdamW({ learningRate: 0.1, weightDecay: 0.05, beta2: 0.99 })],
  ])('%s: the same bits as the composed ops', (_, make) => {
    expect(tf.getKernel(AdamUpdate, 'wasm')).toBeDefined()
    const fused = threeSteps(make, true)
    const composed = threeSteps(make, false)
    expect(fused.length).toBe(composed.length)
    fused.forEach((values, i) => expect(values).toEqual(composed[i]))
    // The step moved the parameters (a kernel that copied them through would pass the comparison above only
    // if the composed path did too).
    expect(fused[1]).not.toEqual(Float32Array.from(randomValues(shapes[1], 11)))
  })

  it('refuses moments of another size than the parameter', () => {
    const x = tf.zeros([4])
    const y = tf.zeros([5])
    const attrs = {
      decay: 'none',
      decayFactor: 0,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      sqrtCorrection2: 1,
      stepSize: 1,
    }
    expect(() =>
      tf.engine().runKernel(AdamUpdate, { param: x, grad: x, m: y, v: x }, attrs as never),
    ).toThrow(/m has shape \[5\], the parameter \[4\]/)
    tf.dispose([x, y])
  })
})

describe('the update split across helper threads', () => {
  afterAll(stopHeapThreads)

  /** AdamW's update of 3 × 4096 + 7 elements on a fresh shared heap at `threads` threads. */
  function update(threads: number): Float32Array[] {
    const n = 3 * 4096 + 7
    const heap = sharedHeap(7 * n * 4)
    const arrays = Array.from({ length: 7 }, () => heap.take(n))
    arrays[0].set(randomValues([n], 1))
    arrays[1].set(randomValues([n], 2))
    arrays[2].set(randomValues([n], 3))
    arrays[3].set(randomValues([n], 4).map(Math.abs))
    const module = new webAssembly.Module(adamModuleBytes(true))
    const wasm = {
      module,
      exports: new webAssembly.Instance(module, { env: { memory: heap.memory } }).exports as HeapExports,
    }
    const params = [
      2,
      1 - 0.1 * 0.05,
      0.9,
      0.1,
      0.999,
      0.001,
      Math.sqrt(1 - 0.999 ** 3),
      1e-8,
      0.1 / (1 - 0.9 ** 3),
    ]
    runSplit({ memory: heap.memory, threads }, adamElements, arrays, params, Math.ceil(n / 4096), wasm)
    return arrays.slice(4).map((a) => Float32Array.from(a))
  }

  it('gives the one-thread result bit for bit at 2 and 3 threads', () => {
    const one = update(1)
    expect(update(2)).toEqual(one)
    expect(update(3)).toEqual(one)
  })
})
