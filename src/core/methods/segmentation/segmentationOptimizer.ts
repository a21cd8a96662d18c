import * as tf from '@tensorflow/tfjs'

/**
 * The two optimiser settings the issue asks for, with torch semantics: the paper's Adam + cosine and
 * SSL4MIS's SGD (momentum, L2 weight decay added to the gradient) + poly decay, plus PiCIE's
 * SGD + StepLR. The learning rate is set before every step from the schedule.
 */
export type OptimizerKind = 'adam' | 'sgd'
export type ScheduleKind = 'cosine' | 'poly' | 'step' | 'constant'

export interface OptimizerSettings {
  optimizer: OptimizerKind
  lr: number
  momentum: number
  weightDecay: number
  schedule: ScheduleKind
  /** StepLR: multiply by gamma every stepSize epochs. */
  stepSize: number
  gamma: number
}

/** lr at `iteration` of `total` (0-based), or for StepLR at `epoch`. */
export function scheduledLr(s: OptimizerSettings, iteration: number, total: number, epoch: number): number {
  switch (s.schedule) {
    case 'cosine': // torch CosineAnnealingLR, eta_min 0, stepped per iteration
      return (s.lr * (1 + Math.cos((Math.PI * iteration) / total))) / 2
    case 'poly': // SSL4MIS: base_lr · (1 − iter/max)^0.9
      return s.lr * (1 - iteration / total) ** 0.9
    case 'step':
      return s.lr * s.gamma ** Math.floor(epoch / s.stepSize)
    case 'constant':
      return s.lr
  }
}

export interface SegmentationOptimizer {
  /** One update of `variables` with gradients from `loss`; returns the loss value. */
  minimize(loss: () => tf.Scalar, variables: tf.Variable[], lr: number): number
  dispose(): void
}

export function createOptimizer(s: OptimizerSettings): SegmentationOptimizer {
  const opt: tf.Optimizer =
    s.optimizer === 'adam' ? tf.train.adam(s.lr, 0.9, 0.999, 1e-8) : tf.train.momentum(s.lr, s.momentum)
  return {
    minimize(loss, variables, lr) {
      // tfjs reads the rate from this field on every step; Adam has no setter.
      ;(opt as unknown as { learningRate: number }).learningRate = lr
      const { value, grads } = tf.variableGrads(loss, variables)
      if (s.weightDecay > 0) {
        for (const v of variables) {
          const g = grads[v.name]
          if (!g) continue
          grads[v.name] = tf.add(g, tf.mul(s.weightDecay, v))
          g.dispose()
        }
      }
      opt.applyGradients(grads)
      const out = value.dataSync()[0]
      value.dispose()
      tf.dispose(grads)
      return out
    },
    dispose: () => opt.dispose(),
  }
}
