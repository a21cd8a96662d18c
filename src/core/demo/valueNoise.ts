import type { DemoRandom } from './demoRandom'

const PERIOD = 256
const MASK = PERIOD - 1

function smooth(t: number): number {
  return t * t * (3 - 2 * t)
}

/**
 * Value noise on a periodic 256×256 lattice: random values at integer points, smoothly interpolated.
 * A table lookup instead of a hash per sample keeps painting a slide-sized image fast.
 */
export class ValueNoise {
  private readonly lattice = new Float32Array(PERIOD * PERIOD)

  constructor(rng: DemoRandom) {
    for (let i = 0; i < this.lattice.length; i++) this.lattice[i] = rng.next()
  }

  /** Noise in [0, 1] at a point in lattice units. */
  at(x: number, y: number): number {
    const fx = Math.floor(x)
    const fy = Math.floor(y)
    const tx = smooth(x - fx)
    const ty = smooth(y - fy)
    const x0 = fx & MASK
    const x1 = (fx + 1) & MASK
    const r0 = (fy & MASK) * PERIOD
    const r1 = ((fy + 1) & MASK) * PERIOD
    const l = this.lattice
    const a = l[r0 + x0] + (l[r0 + x1] - l[r0 + x0]) * tx
    const b = l[r1 + x0] + (l[r1 + x1] - l[r1 + x0]) * tx
    return a + (b - a) * ty
  }

  /** Fractal sum of `octaves` layers, each twice the frequency and half the weight; in [0, 1]. */
  fractal(x: number, y: number, octaves: number): number {
    let sum = 0
    let weight = 1
    let total = 0
    let f = 1
    for (let o = 0; o < octaves; o++) {
      // Each octave is shifted so the layers do not share lattice points.
      sum += weight * this.at(x * f + o * 37.3, y * f + o * 91.7)
      total += weight
      weight *= 0.5
      f *= 2
    }
    return sum / total
  }
}
