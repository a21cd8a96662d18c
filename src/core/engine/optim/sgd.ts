// SGD with momentum, dampening, Nesterov and L2 weight decay, with torch.optim.SGD semantics (the momentum
// buffer starts as the first gradient, not zero). SSL4MIS uses lr 0.01, momentum 0.9, weight decay 1e-4.
import * as tf from '@tensorflow/tfjs'
import {
  checkHyperparameter,
  checkStepArguments,
  type Optimizer,
  savedSlot,
  type OptimizerState,
} from './optimizer'

export interface SgdOptions {
  learningRate: number
  momentum?: number
  dampening?: number
  nesterov?: boolean
  weightDecay?: number
  excludeFromWeightDecay?: (param: tf.Variable) => boolean
}

export function createSgd(options: SgdOptions): Optimizer {
  const momentum = options.momentum ?? 0
  const dampening = options.dampening ?? 0
  const weightDecay = options.weightDecay ?? 0
  const nesterov = options.nesterov ?? false
  checkHyperparameter('SGD', 'learningRate', options.learningRate, 0)
  checkHyperparameter('SGD', 'momentum', momentum, 0)
  checkHyperparameter('SGD', 'dampening', dampening, 0, 1)
  checkHyperparameter('SGD', 'weightDecay', weightDecay, 0)
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new Error('SGD: nesterov needs momentum > 0 and dampening 0 (as torch)')
  }
  const buffers = new Map<tf.Variable, tf.Variable>()
  let iterations = 0
  const optimizer: Optimizer = {
    name: 'SGD',
    learningRate: options.learningRate,
    get iterations() {
      return iterations
    },
    step(params, grads) {
      checkStepArguments('SGD', params, grads)
      iterations++
      const lr = optimizer.learningRate
      params.forEach((param, i) => {
        const decay = weightDecay > 0 && !(options.excludeFromWeightDecay?.(param) ?? false) ? weightDecay : 0
        tf.tidy(() => {
          let g = grads[i]
          if (decay > 0) g = tf.add(g, tf.mul(param, decay))
          if (momentum > 0) {
            const buffer = buffers.get(param)
            let next: tf.Tensor
            if (buffer == null) {
              next = tf.clone(g)
              buffers.set(param, tf.keep(tf.variable(next, false)))
            } else {
              next = tf.add(tf.mul(buffer, momentum), tf.mul(g, 1 - dampening))
              buffer.assign(next)
            }
            g = nesterov ? tf.add(g, tf.mul(next, momentum)) : next
          }
          param.assign(tf.sub(param, tf.mul(g, lr)))
        })
      })
    },
    stateTensors() {
      return [...buffers.values()]
    },
    exportState(params) {
      const out: OptimizerState = { iterations: { shape: [1], values: Float32Array.of(iterations) } }
      params.forEach((param, i) => {
        const b = buffers.get(param)
        if (b) out[`momentum.${i}`] = { shape: [...param.shape], values: Float32Array.from(b.dataSync()) }
      })
      return out
    },
    importState(params, state) {
      iterations = state.iterations?.values[0] ?? 0
      params.forEach((param, i) => {
        const saved = savedSlot('SGD', state, `momentum.${i}`, param)
        if (!saved) return
        buffers.get(param)?.dispose()
        buffers.set(
          param,
          tf.tidy(() => tf.variable(tf.tensor(saved.values, saved.shape), false)),
        )
      })
    },
    dispose() {
      tf.dispose([...buffers.values()])
      buffers.clear()
    },
  }
  return optimizer
}
