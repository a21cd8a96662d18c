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
