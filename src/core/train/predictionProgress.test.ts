import { describe, expect, it } from 'vitest'
import type { JobProgress } from '../../shared/events'
import { afterTrainingReports, PREDICTING_IMAGES } from './predictionProgress'

describe('progress of predicting the project after training', () => {
  it('fills its own bar and measures the time left from its own pace', () => {
    let clock = 1_000
    const sent: Partial<JobProgress>[] = []
    const signal = new AbortController().signal
    const after = afterTrainingReports(
      signal,
      (p) => sent.push(p),
      () => clock,
    )
    expect(after.signal).toBe(signal)
    after.progress!({ done: 0, total: 12, unit: 'images and tiles' })
    clock += 2_000
    after.progress!({ done: 4, total: 12, unit: 'images and tiles' })
    clock += 2_000
    after.progress!({ done: 8, total: 12, unit: 'images and tiles' })
    expect(sent).toEqual([
      {
        startsStage: true,
        fraction: 0,
        message: `${PREDICTING_IMAGES} · 0 of 12 images and tiles`,
        etaSeconds: undefined,
      },
      {
        startsStage: true,
        fraction: 4 / 12,
        message: `${PREDICTING_IMAGES} · 4 of 12 images and tiles`,
        etaSeconds: 4,
      },
      {
        startsStage: true,
        fraction: 8 / 12,
        message: `${PREDICTING_IMAGES} · 8 of 12 images and tiles`,
        etaSeconds: 2,
      },
    ])
  })

  it('starts the clock again when predicting starts again (the host after a failed GPU window)', () => {
    let clock = 0
    const sent: Partial<JobProgress>[] = []
    const after = afterTrainingReports(
      new AbortController().signal,
      (p) => sent.push(p),
      () => clock,
    )
    after.progress!({ done: 0, total: 4, unit: 'images' })
    clock = 60_000
    after.progress!({ done: 0, total: 4, unit: 'images' })
    clock = 61_000
    after.progress!({ done: 1, total: 4, unit: 'images' })
    expect(sent.at(-1)!.etaSeconds).toBe(3)
  })

  it('a project with nothing to predict is a full bar', () => {
    const sent: Partial<JobProgress>[] = []
    afterTrainingReports(new AbortController().signal, (p) => sent.push(p)).progress!({
      done: 0,
      total: 0,
      unit: 'images',
    })
    expect(sent[0].fraction).toBe(1)
  })
})
