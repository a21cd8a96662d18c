import { describe, expect, it } from 'vitest'
import { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec'

describe('checkpoint codec', () => {
  it('round-trips names, shapes, values and the epoch', () => {
    const state = {
      'enc.weight': { shape: [2, 3], values: new Float32Array([1, -2, 3.5, 4, 5e-8, -0]) },
      'adam.m.enc.weight': { shape: [1], values: new Float32Array([Math.PI]) },
      empty: { shape: [0], values: new Float32Array([]) },
    }
    const back = decodeCheckpoint(encodeCheckpoint(7, state))
    expect(back.epoch).toBe(7)
    expect(Object.keys(back.state)).toEqual(Object.keys(state))
    for (const [k, v] of Object.entries(state)) {
      expect(back.state[k].shape).toEqual(v.shape)
      expect(Array.from(back.state[k].values)).toEqual(Array.from(v.values))
    }
  })

  it('rejects mismatched shapes and truncated data', () => {
    expect(() => encodeCheckpoint(0, { a: { shape: [3], values: new Float32Array(2) } })).toThrow(
      /2 values for shape \[3\]/,
    )
    const good = encodeCheckpoint(1, { a: { shape: [4], values: new Float32Array(4) } })
    expect(() => decodeCheckpoint(good.subarray(0, good.length - 2))).toThrow(/truncated inside tensor a/)
    expect(() => decodeCheckpoint(Buffer.from('nope'))).toThrow(/truncated/)
  })
})
