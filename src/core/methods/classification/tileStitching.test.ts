import { describe, expect, it } from 'vitest'
import { stitchTiles } from './tileStitching'

describe('stitching per-tile pictures back into the slide', () => {
  it('puts each tile at its place at the model scale and cuts edge tiles at the image border', () => {
    // A 10 × 6 px image in tiles of 4 (a 3 × 2 grid, the last column and row padded); model side 2.
    const places = [0, 4, 8].flatMap((x) => [0, 4].map((y) => ({ x, y, tileSize: 4 })))
    const pictures = places.map((_, i) => Float32Array.from([1, 2, 3, 4], (v) => 10 * i + v))
    const s = stitchTiles(places, pictures, 2, { width: 10, height: 6 })
    expect([s.width, s.height]).toEqual([5, 3])
    // Tiles in order (0,0) (0,4) (4,0) (4,4) (8,0) (8,4): picture i is 10i + [1 2; 3 4].
    expect(Array.from(s.data)).toEqual([1, 2, 21, 22, 41, 3, 4, 23, 24, 43, 11, 12, 31, 32, 51])
  })

  it('keeps the channels of RGB pictures together', () => {
    const places = [
      { x: 0, y: 0, tileSize: 2 },
      { x: 2, y: 0, tileSize: 2 },
    ]
    const pictures = [new Uint8Array([1, 1, 1]), new Uint8Array([2, 2, 2])]
    const s = stitchTiles(places, pictures, 1, { width: 4, height: 2 }, 3)
    expect([s.width, s.height]).toEqual([2, 1])
    expect(Array.from(s.data)).toEqual([1, 1, 1, 2, 2, 2])
    expect(s.data).toBeInstanceOf(Uint8Array)
  })

  it('gives a whole image back as it is, and refuses mixed tile sizes', () => {
    const whole = stitchTiles([null], [Float32Array.of(1, 2, 3, 4)], 2, { width: 300, height: 200 })
    expect([whole.width, whole.height, ...whole.data]).toEqual([2, 2, 1, 2, 3, 4])
    expect(() =>
      stitchTiles(
        [
          { x: 0, y: 0, tileSize: 4 },
          { x: 4, y: 0, tileSize: 8 },
        ],
        [Float32Array.of(1), Float32Array.of(1)],
        1,
        { width: 8, height: 4 },
      ),
    ).toThrow(/tiles of one size/)
  })
})
