import { describe, expect, it } from 'vitest'
import { colourMask, indicesFromRgba, parseHexColour } from './maskColours'

const px = (rgba: Uint8ClampedArray, i: number) => Array.from(rgba.slice(i * 4, i * 4 + 4))

describe('colourMask', () => {
  it('leaves background clear, fills the interior and outlines the boundary in the class colour', () => {
    // A 3×3 block of class 1 in a 5×5 mask: one interior pixel, eight on its outline.
    const w = 5
    const m = new Uint8Array(25)
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) m[y * w + x] = 1
    const out = colourMask(m, w, 5, ['#102030'], 100)
    expect(px(out, 0)).toEqual([0, 0, 0, 0])
    expect(px(out, 2 * w + 2)).toEqual([16, 32, 48, 100]) // interior
    expect(px(out, 1 * w + 1)).toEqual([16, 32, 48, 255]) // corner touches background
    expect(px(out, 2 * w + 1)).toEqual([16, 32, 48, 255]) // left edge
  })

  it('maps index k to the k-th class and flags indices past the classes', () => {
    const out = colourMask(new Uint8Array([1, 2, 3]), 3, 1, ['#ff0000', '#00ff00'])
    expect(px(out, 0).slice(0, 3)).toEqual([255, 0, 0])
    expect(px(out, 1).slice(0, 3)).toEqual([0, 255, 0])
    expect(px(out, 2).slice(0, 3)).toEqual([255, 0, 255])
  })

  it('refuses a mask whose size does not match', () => {
    expect(() => colourMask(new Uint8Array(5), 2, 2, [])).toThrow(/5 values but is 2×2/)
  })
})

describe('mask decoding helpers', () => {
  it('reads the index from the red channel', () => {
    expect(Array.from(indicesFromRgba([0, 0, 0, 255, 2, 2, 2, 255]))).toEqual([0, 2])
  })
  it('parses hex colours and greys out bad ones', () => {
    expect(parseHexColour('#8c5a3c')).toEqual([140, 90, 60])
    expect(parseHexColour('nope')).toEqual([128, 128, 128])
  })
})
