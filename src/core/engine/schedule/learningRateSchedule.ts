// A learning-rate schedule is a pure function of the step count (epoch or iteration, as the caller decides),
// so a resumed run gets the same rate without replaying history.
export type LearningRateSchedule = (step: number) => number

export function checkStep(schedule: string, step: number): void {
  if (!Number.isInteger(step) || step < 0)
    throw new Error(`${schedule}: step must be an integer >= 0, got ${step}`)
}
