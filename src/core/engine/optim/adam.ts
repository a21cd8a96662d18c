// Adam and AdamW with torch.optim semantics. Adam's `weightDecay` is L2: wd * param is added to the gradient
// before the moments (torch.optim.Adam). AdamW decays the parameter itself by lr * wd (torch.optim.AdamW).
import * as tf from '@tensorflow/tfjs'
import { AdamUpdate, type AdamUpdateAttrs } from '../backend/wasmKernels/adamUpdate'
import {
  checkHyperparameter,
  checkStepArguments,
  savedSlot,
  type Optimizer,
  type OptimizerState,
} from './optimizer'

export interface AdamOptions {
  learningRate: number
  beta1?: number
  beta2?: number
  epsilon?: number
  weightDecay?: number
  /** Parameters that get no weight decay (e.g. biases and norm scales, as DINO does). */
  excludeFromWeightDecay?: (param: tf.Variable) => boolean
}

interface Moments {
  m: tf.Variable
  v: tf.Variable
}

function createAdamFamily(name: 'Adam' | 'AdamW', decoupled: boolean, options: AdamOptions): Optimizer {
  const beta1 = options.beta1 ?? 0.9
  const beta2 = options.beta2 ?? 0.999
  const epsilon = options.epsilon ?? 1e-8
  const weightDecay = options.weightDecay ?? (decoupled ? 1e-2 : 0)
  checkHyperparameter(name, 'learningRate', options.learningRate, 0)
  checkHyperparameter(name, 'beta1', beta1, 0, 1 - 1e-12)
  checkHyperparameter(name, 'beta2', beta2, 0, 1 - 1e-12)
  checkHyperparameter(name, 'epsilon', epsilon, 0)
  checkHyperparameter(name, 'weightDecay', weightDecay, 0)
  const moments = new Map<tf.Variable, Moments>()
  let iterations = 0

  const optimizer: Optimizer = {
    name,
    learningRate: options.learningRate,
    get iterations() {
      return iterations
    },
    step(params, grads) {
      checkStepArguments(name, params, grads)
      iterations++
      const lr = optimizer.learningRate
      // torch: step_size = lr / (1 - beta1^t); denom = sqrt(v) / sqrt(1 - beta2^t) + eps
      const stepSize = lr / (1 - beta1 ** iterations)
      const sqrtCorrection2 = Math.sqrt(1 - beta2 ** iterations)
      // One kernel per parameter where the backend has it (wasm: adamUpdate.ts, the same bits as the ops below).
      const fused = tf.getKernel(AdamUpdate, tf.getBackend()) != null
      params.forEach((param, i) => {
        let state = moments.get(param)
        if (state == null) {
          // Inside tidy: tf.variable shares the zeros' data, and the zeros tensor itself must not linger.
          state = tf.tidy(() => ({
            m: tf.variable(tf.zerosLike(param), false),
            v: tf.variable(tf.zerosLike(param), false),
          }))
          moments.set(param, state)
        }
        const decay = weightDecay > 0 && !(options.excludeFromWeightDecay?.(param) ?? false) ? weightDecay : 0
        const { m, v } = state
        if (fused) {
          const attrs: AdamUpdateAttrs = {
            decay: decay === 0 ? 'none' : decoupled ? 'decoupled' : 'l2',
            decayFactor: decoupled ? 1 - lr * decay : decay,
            beta1,
            beta2,
            epsilon,
            sqrtCorrection2,
            stepSize,
          }
          tf.tidy(() => {
            const inputs = { param, grad: grads[i], m, v }
            const [pNext, mNext, vNext] = tf
              .engine()
              .runKernel(AdamUpdate, inputs, attrs as never) as tf.Tensor[]
            m.assign(mNext)
            v.assign(vNext)
            param.assign(pNext)
          })
          return
        }
        tf.tidy(() => {
          let g = grads[i]
          let p: tf.Tensor = param
          if (decay > 0 && decoupled) p = tf.mul(p, 1 - lr * decay)
          if (decay > 0 && !decoupled) g = tf.add(g, tf.mul(param, decay))
          const mNext = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1))
          const vNext = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2))
          const denom = tf.add(tf.div(tf.sqrt(vNext), sqrtCorrection2), epsilon)
          m.assign(mNext)
          v.assign(vNext)
          param.assign(tf.sub(p, tf.mul(tf.div(mNext, denom), stepSize)))
        })
      })
    },
    stateTensors() {
      return [...moments.values()].flatMap(({ m, v }) => [m, v])
    },
    exportState(params) {
      const out: OptimizerState = { iterations: { shape: [1], values: Float32Array.of(iterations) } }
      params.forEach((param, i) => {
        const state = moments.get(param)
        if (!state) return
        out[`m.${i}`] = { shape: [...param.shape], values: Float32Array.from(state.m.dataSync()) }
        out[`v.${i}`] = { shape: [...param.shape], values: Float32Array.from(state.v.dataSync()) }
      })
      return out
    },
    importState(params, state) {
      iterations = state.iterations?.values[0] ?? 0
      params.forEach((param, i) => {
        const m = savedSlot(name, state, `m.${i}`, param)
        const v = savedSlot(name, state, `v.${i}`, param)
        if (!m || !v) return
        const old = moments.get(param)
        if (old) tf.dispose([old.m, old.v])
        // Inside tidy, like step's zeros: the variables share the restored data, the tensors must not linger.
        moments.set(
          param,
          tf.tidy(() => ({
            m: tf.variable(tf.tensor(m.values, m.shape), false),
            v: tf.variable(tf.tensor(v.values, v.shape), false),
          })),
        )
      })
    },
    dispose() {
      for (const { m, v } of moments.values()) tf.dispose([m, v])
      moments.clear()
    },
  }
  return optimizer
}

/** torch.optim.Adam: weight decay as L2 added to the gradient. */
export function createAdam(options: AdamOptions): Optimizer {
  return createAdamFamily('Adam', false, options)
}

/** torch.optim.AdamW: decoupled weight decay (default 1e-2, as torch). */
export function createAdamW(options: AdamOptions): Optimizer {
  return createAdamFamily('AdamW', true, options)
}
