import { createSeededRandom, type SeededRandom } from '../engine/seededRandom'

/** The engine's seeded stream with the few draws the painters need (ranges, coin flips, picks). */
export class DemoRandom {
  private constructor(private readonly source: SeededRandom) {}

  static fromSeed(seed: number): DemoRandom {
    return new DemoRandom(createSeededRandom(seed))
  }

  /** An independent stream, e.g. one per image, so an image does not depend on how others were drawn. */
  fork(): DemoRandom {
    return new DemoRandom(this.source.fork())
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.source.next()
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.source.next()
  }

  /** Integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + this.source.nextInt(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.source.next() < p
  }

  /** A point uniform over the disc of `radius` around (cx, cy). */
  inDisc(cx: number, cy: number, radius: number): [number, number] {
    const a = this.uniform(0, 2 * Math.PI)
    const r = Math.sqrt(this.next()) * radius
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)]
  }

  normal(): number {
    return this.source.normal()
  }

  shuffle<T>(items: readonly T[]): T[] {
    return this.source.shuffle(items)
  }
}
