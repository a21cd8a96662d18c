import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import {
  optimizerSettings,
  PAPER_OPTIMIZER,
  presetOptimizer,
  QUICK_OPTIMIZER,
  scheduledLr,
  SSL4MIS_OPTIMIZER,
} from './optimizerConfig'
import { createOptimizer } from './trainingOptimizer'

describe('the optimiser configuration', () => {
  it("is the paper's Adam + cosine, SSL4MIS's SGD + poly as overrides of it", () => {
    const paper = optimizerSettings(PAPER_OPTIMIZER)
    expect(paper).toMatchObject({
      optimizer: 'adam',
      lr: 3.6e-4,
      weightDecay: 1e-5,
      cosineTMax: 50,
      etaMin: 3.4e-4,
    })
    const ssl = optimizerSettings({ ...PAPER_OPTIMIZER, ...SSL4MIS_OPTIMIZER })
    expect(ssl).toMatchObject({
      optimizer: 'sgd',
      lr: 0.01,
      momentum: 0.9,
      weightDecay: 1e-4,
      schedule: 'poly',
    })
    expect(optimizerSettings(QUICK_OPTIMIZER).cosineTMax).toBe(0)
  })
  it('gives the learning rate per epoch (paper cosine, StepLR) or per iteration (whole-run cosine, poly)', () => {
    const paper = optimizerSettings(PAPER_OPTIMIZER)
    // torch CosineAnnealingLR stepped per epoch: constant within an epoch, eta_min at T_max, back at 2 T_max.
    expect(scheduledLr(paper, 0, 400, 0)).toBe(3.6e-4)
    expect(scheduledLr(paper, 7, 400, 0)).toBe(3.6e-4)
    expect(scheduledLr(paper, 200, 400, 50)).toBeCloseTo(3.4e-4, 15)
    expect(scheduledLr(paper, 400, 400, 100)).toBeCloseTo(3.6e-4, 15)
    const quick = optimizerSettings(QUICK_OPTIMIZER)
    expect(scheduledLr(quick, 5, 10, 0)).toBeCloseTo(3e-3 / 2, 12)
    const poly = optimizerSettings({ ...PAPER_OPTIMIZER, ...SSL4MIS_OPTIMIZER })
    expect(scheduledLr(poly, 15, 30, 3)).toBeCloseTo(0.01 * 0.5 ** 0.9, 12)
    const step = optimizerSettings({ ...PAPER_OPTIMIZER, schedule: 'step' })
    expect(scheduledLr(step, 0, 1, 30)).toBeCloseTo(3.6e-5, 15)
  })
  it("takes each preset's optimiser, StepLR's own gamma and step, and a constant rate", () => {
    expect(presetOptimizer('paper')).toEqual(PAPER_OPTIMIZER)
    expect(presetOptimizer('quick')).toEqual(QUICK_OPTIMIZER)
    const step = optimizerSettings({ ...PAPER_OPTIMIZER, schedule: 'step', gamma: 0.5, stepSize: 10 })
    expect(step).toMatchObject({ gamma: 0.5, stepSize: 10 })
    expect(scheduledLr(step, 0, 1, 9)).toBe(3.6e-4)
    expect(scheduledLr(step, 0, 1, 20)).toBeCloseTo(3.6e-4 * 0.25, 15)
    const constant = optimizerSettings({ ...PAPER_OPTIMIZER, schedule: 'constant' })
    expect([0, 17, 99].map((i) => scheduledLr(constant, i, 100, i))).toEqual([3.6e-4, 3.6e-4, 3.6e-4])
  })
  it('refuses bad settings, naming them', () => {
    expect(() => optimizerSettings({ ...PAPER_OPTIMIZER, optimizer: 'rmsprop' })).toThrow(/optimizer must be/)
    expect(() => optimizerSettings({ ...PAPER_OPTIMIZER, schedule: 'cyclic' })).toThrow(/schedule must be/)
    expect(() => optimizerSettings({ ...PAPER_OPTIMIZER, lr: Number.NaN })).toThrow(
      /'lr' must be a finite number/,
    )
  })
  it('builds the optimiser it describes: one SGD step by hand', () => {
    const sgd = createOptimizer(optimizerSettings({ ...PAPER_OPTIMIZER, ...SSL4MIS_OPTIMIZER }))
    const x = tf.variable(tf.scalar(1))
    // loss x², gradient 2x = 2, plus L2 1e-4 · x; first step has no momentum history: x − 0.01 · 2.0001.
    const loss = sgd.minimize(() => tf.square(x) as tf.Scalar, [x], 0.01)
    expect(loss).toBe(1)
    expect(x.dataSync()[0]).toBeCloseTo(1 - 0.01 * 2.0001, 6)
    sgd.dispose()
    x.dispose()
  })
})
