// Schedules against torch's schedulers (torchScheduleReference.json from bench/reference/optim_schedule_reference.py).
import { describe, expect, it } from 'vitest'
import reference from './torchScheduleReference.json'
import { cosineAnnealing } from './cosineAnnealing'
import { polyDecay } from './polyDecay'
import { stepDecay } from './stepDecay'
import { warmupCosine } from './warmupCosine'
import type { LearningRateSchedule } from './learningRateSchedule'

function expectMatches(schedule: LearningRateSchedule, lrs: number[]): void {
  lrs.forEach((expected, step) => {
    const ours = schedule(step)
    expect(Math.abs(ours - expected)).toBeLessThan(1e-12 + 1e-9 * Math.abs(expected))
  })
}

const s = reference.schedules

describe('learning-rate schedules match torch', () => {
  it('cosine annealing, the paper setting (T_max 50, eta_min 3.4e-4), 130 epochs: down, then back up past T_max', () => {
    const schedule = cosineAnnealing({ baseLr: 3.6e-4, tMax: 50, etaMin: 3.4e-4 })
    expectMatches(schedule, s.cosinePaper.lrs)
    expect(schedule(50)).toBeCloseTo(3.4e-4, 15)
    expect(schedule(100)).toBeCloseTo(3.6e-4, 15)
    expect(schedule(75)).toBeGreaterThan(schedule(60))
  })

  it('cosine annealing to 0 over 10 epochs, 35 epochs', () => {
    expectMatches(cosineAnnealing({ baseLr: 0.01, tMax: 10 }), s.cosineWide.lrs)
  })

  it('StepLR (step 7, gamma 0.5)', () => {
    expectMatches(stepDecay({ baseLr: 0.1, stepSize: 7, gamma: 0.5 }), s.step.lrs)
  })

  it('poly decay (1 - it/max)^0.9', () => {
    expectMatches(polyDecay({ baseLr: 0.01, maxIterations: 40 }), s.poly.lrs)
    expect(polyDecay({ baseLr: 0.01, maxIterations: 40 })(40)).toBe(0)
  })

  it("DINO's warm-up + cosine", () => {
    const w = s.warmupCosine
    expectMatches(
      warmupCosine({
        baseLr: w.baseLr,
        finalLr: w.finalLr,
        epochs: w.epochs,
        iterationsPerEpoch: w.iterationsPerEpoch,
        warmupEpochs: w.warmupEpochs,
        startLr: w.startLr,
      }),
      w.lrs,
    )
  })

  it('rejects bad settings and steps by name', () => {
    expect(() => cosineAnnealing({ baseLr: 1, tMax: 0 })).toThrow(/tMax/)
    expect(() => cosineAnnealing({ baseLr: 1, tMax: 5 })(-1)).toThrow(/cosineAnnealing: step/)
    expect(() => stepDecay({ baseLr: 1, stepSize: 0 })).toThrow(/stepSize/)
    expect(() =>
      warmupCosine({ baseLr: 1, finalLr: 0, epochs: 2, iterationsPerEpoch: 5, warmupEpochs: 2 }),
    ).toThrow(/warm-up/)
  })
})

describe('learning-rate schedules by hand', () => {
  it("DINO's warm-up starts at startLr, rises linearly, then falls by half a cosine and stays at its end", () => {
    const w = warmupCosine({
      baseLr: 1,
      finalLr: 0.1,
      epochs: 2,
      iterationsPerEpoch: 5,
      warmupEpochs: 1,
      startLr: 0.5,
    })
    // Warm-up: linspace(0.5, 1, 5).
    expect([0, 1, 2, 3, 4].map(w)).toEqual([0.5, 0.625, 0.75, 0.875, 1])
    // Then 0.1 + 0.45 (1 + cos(π k / 5)), k = step − 5, up to the last iteration (9).
    expect(w(5)).toBeCloseTo(1, 12)
    expect(w(7)).toBeCloseTo(0.1 + 0.45 * (1 + Math.cos((2 * Math.PI) / 5)), 12)
    expect(w(9)).toBeCloseTo(0.1 + 0.45 * (1 + Math.cos((4 * Math.PI) / 5)), 12)
    expect(w(12)).toBe(w(9))
  })

  it('a one-iteration warm-up is linspace(start, base, 1) = [start], as numpy', () => {
    const w = warmupCosine({
      baseLr: 1,
      finalLr: 0,
      epochs: 3,
      iterationsPerEpoch: 1,
      warmupEpochs: 1,
      startLr: 0.2,
    })
    expect(w(0)).toBe(0.2)
    expect(w(1)).toBeCloseTo(1, 12)
  })

  it('poly decay stays at 0 past its last iteration', () => {
    const p = polyDecay({ baseLr: 0.01, maxIterations: 40 })
    expect(p(41)).toBe(0)
    expect(p(39)).toBeCloseTo(0.01 * (1 / 40) ** 0.9, 15)
  })

  it('each schedule names itself and the setting it refuses', () => {
    for (const bad of [0, -5, Number.NaN]) {
      expect(() => polyDecay({ baseLr: 1, maxIterations: bad })).toThrow(
        `polyDecay: maxIterations must be > 0, got ${bad}`,
      )
      expect(() => warmupCosine({ baseLr: 1, finalLr: 0, epochs: bad, iterationsPerEpoch: 5 })).toThrow(
        `warmupCosine: epochs × iterationsPerEpoch must be > 0, got ${bad * 5}`,
      )
    }
    expect(() => polyDecay({ baseLr: 1, maxIterations: 10 })(1.5)).toThrow(
      'polyDecay: step must be an integer >= 0, got 1.5',
    )
    expect(() => stepDecay({ baseLr: 1, stepSize: 3 })(-1)).toThrow(
      'stepDecay: step must be an integer >= 0, got -1',
    )
    expect(() => warmupCosine({ baseLr: 1, finalLr: 0, epochs: 2, iterationsPerEpoch: 5 })(-2)).toThrow(
      'warmupCosine: step must be an integer >= 0, got -2',
    )
  })
})
