/**
 * λ(t) of cross teaching, as SSL4MIS computes it: consistency · sigmoid_rampup(iteration // 150, 200),
 * where sigmoid_rampup(t, L) = exp(−5 (1 − clip(t, 0, L)/L)²). So λ climbs from 0.1·e⁻⁵ to 0.1 over
 * 30 000 iterations and stays there.
 */
export interface CrossTeachingRamp {
  consistency: number
  rampupLength: number
  iterationsPerStep: number
}

export const SSL4MIS_RAMP: CrossTeachingRamp = { consistency: 0.1, rampupLength: 200, iterationsPerStep: 150 }

export function sigmoidRampup(current: number, rampupLength: number): number {
  if (rampupLength === 0) return 1
  const phase = 1 - Math.min(Math.max(current, 0), rampupLength) / rampupLength
  return Math.exp(-5 * phase * phase)
}

export function crossTeachingWeight(iteration: number, ramp: CrossTeachingRamp = SSL4MIS_RAMP): number {
  return ramp.consistency * sigmoidRampup(Math.floor(iteration / ramp.iterationsPerStep), ramp.rampupLength)
}
