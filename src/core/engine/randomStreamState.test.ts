import { describe, expect, it } from 'vitest'
import { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec'
import { randomStreamState, restoredRandomStream } from './randomStreamState'
import { createSeededRandom } from './seededRandom'

describe('random stream state in a checkpoint', () => {
  it('resumes the stream exactly where it stood, through the checkpoint codec, spare normal included', () => {
    for (const seed of [0, 7, 2 ** 32 - 1]) {
      const random = createSeededRandom(seed)
      for (let i = 0; i < 37; i++) random.next()
      random.normal() // leaves a spare normal behind
      const saved = decodeCheckpoint(encodeCheckpoint(3, randomStreamState('views', random))).state
      const resumed = restoredRandomStream('views', saved)!
      const ahead = [random.normal(), ...Array.from({ length: 50 }, () => random.next())]
      expect([resumed.normal(), ...Array.from({ length: 50 }, () => resumed.next())]).toEqual(ahead)
    }
  })
  it('is null for a checkpoint without it, and refuses a damaged entry', () => {
    expect(restoredRandomStream('views', {})).toBeNull()
    const bad = { 'random.views': { shape: [2], values: new Float32Array(2) } }
    expect(() => restoredRandomStream('views', bad)).toThrow(/random.views/)
  })
})
