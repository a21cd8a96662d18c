import { describe, expect, it } from 'vitest'
import { afterEpoch, startEarlyStopping, type EarlyStopping } from './earlyStopping'

function run(losses: number[], scores: number[], patience: number) {
  let s: EarlyStopping = startEarlyStopping()
  const kept: number[] = []
  for (let e = 0; e < losses.length && !s.stopped; e++) {
    const r = afterEpoch(s, e + 1, losses[e], scores[e], patience)
    s = r.state
    if (r.improved) kept.push(e + 1)
  }
  return { s, kept }
}

describe('early stopping', () => {
  it('stops after the validation loss rose `patience` epochs running, keeping the best score', () => {
    // rises at epochs 3, 4, 5 → stop after 5 with patience 3
    const { s, kept } = run([1, 0.8, 0.9, 1.0, 1.1, 0.5], [0.2, 0.6, 0.5, 0.7, 0.4, 0.9], 3)
    expect(s.stopped).toBe(true)
    expect(s.rises).toBe(3)
    expect(s.bestEpoch).toBe(4)
    expect(kept).toEqual([1, 2, 4])
  })

  it('a fall resets the count; patience 0 never stops', () => {
    const losses = [1, 1.1, 1.2, 1.0, 1.1, 1.2]
    expect(
      run(
        losses,
        losses.map(() => 0),
        3,
      ).s.stopped,
    ).toBe(false)
    expect(run([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0], 0).s.stopped).toBe(false)
  })

  it('a tie in score keeps the earlier epoch', () => {
    expect(run([1, 1, 1], [0.5, 0.5, 0.5], 0).s.bestEpoch).toBe(1)
  })
})
