import { restoreSeededRandom, type SeededRandom } from './seededRandom'
import type { TrainState } from './trainState'

/**
 * A random stream's exact position in a checkpoint, so a resumed run draws what the uninterrupted run
 * would have (crops, flips, shuffles after the last saved epoch). TrainState holds float32 values, which
 * carry integers only up to 2^24: each 32-bit word is stored as two 16-bit halves, and the spare normal
 * (a float64, or none) as four 16-bit words plus a flag.
 */
export function randomStreamState(name: string, random: SeededRandom): TrainState {
  const { words, spareNormal } = random.state()
  const values = new Float32Array(13)
  words.forEach((w, i) => {
    values[2 * i] = w >>> 16
    values[2 * i + 1] = w & 0xffff
  })
  if (spareNormal !== null) {
    values[8] = 1
    const halves = new Uint16Array(new Float64Array([spareNormal]).buffer)
    values.set(halves, 9)
  }
  return { [`random.${name}`]: { shape: [13], values } }
}

/** The stream saved under `name`, or null when the checkpoint predates random-stream state. */
export function restoredRandomStream(name: string, state: TrainState): SeededRandom | null {
  const entry = state[`random.${name}`]
  if (!entry) return null
  const v = entry.values
  if (v.length !== 13) throw new Error(`Checkpoint entry random.${name} holds ${v.length} values, not 13`)
  const words = [0, 1, 2, 3].map((i) => ((v[2 * i] << 16) | v[2 * i + 1]) >>> 0)
  const spareNormal = v[8] === 1 ? new Float64Array(Uint16Array.from(v.subarray(9, 13)).buffer)[0] : null
  return restoreSeededRandom({ words, spareNormal })
}
