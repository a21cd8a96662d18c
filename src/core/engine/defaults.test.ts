import { describe, expect, it } from 'vitest'
import {
  createOptimizerFor,
  createScheduleFor,
  paperTrainingDefaults,
  resolveTrainingSettings,
} from './defaults'

describe('paper training defaults', () => {
  it('are the S4MI common settings', () => {
    expect(paperTrainingDefaults).toMatchObject({
      optimizer: 'adam',
      learningRate: 3.6e-4,
      weightDecay: 1e-5,
      schedule: 'cosine',
      cosineTMax: 50,
      cosineEtaMin: 3.4e-4,
      batchSize: 16,
    })
    expect(paperTrainingDefaults.seeds).toHaveLength(5)
    expect(Object.isFrozen(paperTrainingDefaults)).toBe(true)
  })

  it('take overrides without touching the defaults, and the result is what a run records', () => {
    const s = resolveTrainingSettings({ learningRate: 0.01, optimizer: 'sgd', seeds: [1, 2] })
    expect(s.learningRate).toBe(0.01)
    expect(s.optimizer).toBe('sgd')
    expect(s.seeds).toEqual([1, 2])
    expect(s.weightDecay).toBe(1e-5)
    expect(paperTrainingDefaults.learningRate).toBe(3.6e-4)
    expect(JSON.parse(JSON.stringify(s))).toEqual(s)
  })

  it('reject unknown, mistyped and out-of-range overrides by name', () => {
    expect(() => resolveTrainingSettings({ learningrate: 1 }, 'run 3')).toThrow(
      /run 3: unknown setting 'learningrate'/,
    )
    expect(() => resolveTrainingSettings({ batchSize: '16' })).toThrow(/'batchSize' must be a number/)
    expect(() => resolveTrainingSettings({ batchSize: 0 })).toThrow(/'batchSize' must be > 0/)
    expect(() => resolveTrainingSettings({ epochs: 2.5 })).toThrow(/'epochs' must be an integer/)
    expect(() => resolveTrainingSettings({ optimizer: 'rmsprop' })).toThrow(/optimizer must be one of/)
    expect(() => resolveTrainingSettings({ seeds: [] })).toThrow(/seeds/)
  })

  it('build the optimiser and the per-iteration schedule they describe', () => {
    const s = resolveTrainingSettings({ epochs: 120 })
    expect(createOptimizerFor(s).name).toBe('Adam')
    expect(createOptimizerFor({ ...s, optimizer: 'adamw' }).name).toBe('AdamW')
    const schedule = createScheduleFor(s, 4)
    // Cosine steps per epoch: constant within an epoch, eta_min at epoch 50, back to the base at epoch 100.
    expect(schedule(0)).toBe(3.6e-4)
    expect(schedule(3)).toBe(3.6e-4)
    expect(schedule(4)).toBeLessThan(3.6e-4)
    expect(schedule(50 * 4)).toBeCloseTo(3.4e-4, 15)
    expect(schedule(100 * 4)).toBeCloseTo(3.6e-4, 15)
    const poly = createScheduleFor({ ...s, schedule: 'poly', learningRate: 0.01, epochs: 10 }, 3)
    expect(poly(15)).toBeCloseTo(0.01 * 0.5 ** 0.9, 12)
  })
})
