// A seeded random stream for shuffling, augmentation and the seeds of tfjs's random ops (initial weights:
// models/nn/module.ts's buildSeeded; dropout and drop-path masks: models/nn/dropout.ts), so a run repeats on
// the same backend.

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [0, n). */
  nextInt(n: number): number
  /** Standard normal (Box-Muller). */
  normal(): number
  /** Fisher-Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[]
  /** An independent stream, e.g. one per epoch or per worker, derived from this one. */
  fork(): SeededRandom
  /** Where the stream stands (sfc32's four words and Box-Muller's spare), for a checkpoint. */
  state(): SeededRandomState
}

export interface SeededRandomState {
  /** Four unsigned 32-bit words. */
  words: number[]
  spareNormal: number | null
}

/** sfc32 seeded through splitmix32: small, fast, and passes PractRand far beyond our needs. */
export function createSeededRandom(seed: number): SeededRandom {
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`)
  let s = seed >>> 0 || 0x9e3779b9
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  const words = [splitmix(), splitmix(), splitmix(), splitmix()]
  const random = fromState({ words, spareNormal: null })
  for (let i = 0; i < 12; i++) random.next()
  return random
}

/** The stream exactly where `state()` left it. */
export function restoreSeededRandom(state: SeededRandomState): SeededRandom {
  if (state.words.length !== 4 || state.words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff))
    throw new Error(`A random stream's state is four unsigned 32-bit words, got [${state.words}]`)
  return fromState(state)
}

function fromState(state: SeededRandomState): SeededRandom {
  let [a, b, c, d] = state.words.map((w) => w | 0)
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  const next = (): number => nextUint32() / 4294967296
  let spareNormal: number | null = state.spareNormal
  return {
    next,
    nextInt(n) {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`nextInt needs a positive integer, got ${n}`)
      return Math.floor(next() * n)
    },
    normal() {
      if (spareNormal != null) {
        const v = spareNormal
        spareNormal = null
        return v
      }
      const u = 1 - next()
      const v = next()
      const r = Math.sqrt(-2 * Math.log(u))
      spareNormal = r * Math.sin(2 * Math.PI * v)
      return r * Math.cos(2 * Math.PI * v)
    },
    shuffle(items) {
      const out = items.slice()
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        const tmp = out[i]
        out[i] = out[j]
        out[j] = tmp
      }
      return out
    },
    fork() {
      return createSeededRandom(nextUint32())
    },
    state() {
      return { words: [a >>> 0, b >>> 0, c >>> 0, d >>> 0], spareNormal }
    },
  }
}
