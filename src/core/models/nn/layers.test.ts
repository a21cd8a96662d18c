import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { LayerNorm } from './layerNorm'
import { Linear } from './linear'
import { Dropout, DropPath } from './dropout'
import { adaptiveAvgPool2d, maxPool2d } from './pooling'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('small layers', () => {
  it('LayerNorm normalises the last axis with eps inside the root', () => {
    const ln = new LayerNorm(4, 1e-6)
    const y = Array.from(ln.forward(tf.tensor2d([1, 2, 3, 6], [1, 4])).dataSync())
    const expected = [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5 + 1e-6))
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5))
    ln.dispose()
  })

  it('Linear applies x·Wᵀ + b over the last axis of any rank', () => {
    const fc = new Linear(2, 3)
    fc.weight.assign(tf.tensor2d([1, 0, 2, 0, 1, 3], [2, 3])) // torch weight [[1,0],[0,1],[2,3]]
    fc.bias!.assign(tf.tensor1d([0.5, 0, -1]))
    const y = fc.forward(tf.tensor3d([1, 2, 3, 4], [1, 2, 2]))
    expect(y.shape).toEqual([1, 2, 3])
    expect(Array.from(y.dataSync())).toEqual([1.5, 2, 7, 3.5, 4, 17])
    fc.dispose()
  })

  it('Dropout and DropPath act only in training, scaling survivors by 1/(1−p)', () => {
    const x = tf.ones([64, 3, 5])
    const dropPath = new DropPath(0.5)
    const y = dropPath.forward(x).arraySync() as number[][][]
    for (const sample of y) {
      const values = new Set(sample.flat())
      expect(values.size).toBe(1) // a whole sample is kept or dropped
      expect([0, 2]).toContain([...values][0])
    }
    const kept = y.filter((s) => s[0][0] === 2).length
    expect(kept).toBeGreaterThan(10)
    expect(kept).toBeLessThan(54)
    dropPath.eval()
    expect(dropPath.forward(x)).toBe(x)
    const dropout = new Dropout(0.25)
    const d = Array.from(dropout.forward(x).dataSync())
    expect(new Set(d.map((v) => Math.round(v * 1e4) / 1e4))).toEqual(new Set([0, 1.3333]))
    expect(dropout.eval().forward(x)).toBe(x)
    expect(() => new Dropout(1)).toThrow(/\[0, 1\)/)
  })

  it('adaptive average pooling uses torch’s overlapping bins', () => {
    // 1×5 row 0..4 → 3 bins: [0,2) [1,4) [3,5) → 0.5, 2, 3.5
    const x = tf.tensor4d([0, 1, 2, 3, 4], [1, 1, 5, 1])
    expect(Array.from(adaptiveAvgPool2d(x, [1, 3]).dataSync())).toEqual([0.5, 2, 3.5])
    expect(Array.from(adaptiveAvgPool2d(x).dataSync())).toEqual([2])
  })

  it('max pooling with padding never picks the padding', () => {
    const x = tf.tensor4d([-1, -2, -3, -4], [1, 2, 2, 1])
    expect(Array.from(maxPool2d(x, 3, 2, 1).dataSync())).toEqual([-1])
  })
})
