import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { Dropout, DropPath, startNoiseStep } from './dropout'
import { buildSeeded } from './module'
import { Sequential } from './sequential'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A net with both kinds of training noise, built with `seed`. */
const noisyNet = (seed: number) =>
  buildSeeded(seed, () => new Sequential([new Dropout(0.3), new DropPath(0.4)]))

/** The masks one training step draws (two forwards, as a step of micro-batches would). */
function masksAt(net: Sequential, step: number): number[] {
  startNoiseStep(net, step)
  const x = tf.ones([16, 4, 4, 2])
  const out = [...net.forward(x).dataSync(), ...net.forward(x).dataSync()]
  x.dispose()
  return out
}

describe('dropout and drop-path masks follow (net seed, module, step)', () => {
  it('a step draws the same masks whatever ran before it: resuming needs no saved stream', () => {
    const uninterrupted = noisyNet(5)
    const steps = [0, 1, 2, 3].map((s) => masksAt(uninterrupted, s))
    const resumed = noisyNet(5) // a fresh process, resumed at step 2
    expect(masksAt(resumed, 2)).toEqual(steps[2])
    expect(masksAt(resumed, 3)).toEqual(steps[3])
    uninterrupted.dispose()
    resumed.dispose()
  })

  it('the same seed repeats; another step, another seed or another module draws other masks', () => {
    const a = noisyNet(5)
    const b = noisyNet(5)
    const c = noisyNet(6)
    const at0 = masksAt(a, 0)
    expect(masksAt(b, 0)).toEqual(at0)
    expect(masksAt(a, 1)).not.toEqual(at0)
    expect(masksAt(c, 0)).not.toEqual(at0)
    // Within one step, a second forward draws new masks (micro-batches are not masked alike).
    const half = at0.length / 2
    expect(at0.slice(half)).not.toEqual(at0.slice(0, half))
    // Two modules of one net are seeded apart: two equal Dropouts in a row drop different elements.
    const twin = buildSeeded(5, () => new Sequential([new Dropout(0.5), new Dropout(0.5)]))
    startNoiseStep(twin, 0)
    const [first, second] = twin.layers as Dropout[]
    const x = tf.ones([256])
    expect(Array.from(first.forward(x).dataSync())).not.toEqual(Array.from(second.forward(x).dataSync()))
    tf.dispose([x])
    ;[a, b, c, twin].forEach((n) => n.dispose())
  })

  it('refuses a step that is not a whole number', () => {
    expect(() => startNoiseStep(noisyNet(1), 1.5)).toThrow(/whole number/)
  })
})
