import { describe, expect, it } from 'vitest'
import { tileDownsample } from './tileScale'

describe('tiling at a magnification or a tile width in microns', () => {
  it('turns the target into level-0 pixels per tile pixel', () => {
    const scan40 = { magnification: 40, mppX: 0.25 }
    expect(tileDownsample(scan40, 480, undefined)).toBe(1)
    expect(tileDownsample(scan40, 480, { magnification: 20 })).toBe(2)
    expect(tileDownsample(scan40, 480, { magnification: 10 })).toBe(4)
    // 240 µm over 480 px is 0.5 µm/px: twice the scan's 0.25.
    expect(tileDownsample(scan40, 480, { tileMicrons: 240 })).toBe(2)
    // No stated magnification: estimated from the pixel size (0.5 µm/px ≈ 20×).
    expect(tileDownsample({ magnification: null, mppX: 0.5 }, 480, { magnification: 10 })).toBe(2)
  })

  it('refuses what the slide cannot give, in words for the import report', () => {
    expect(() => tileDownsample({ magnification: 20, mppX: 0.5 }, 480, { magnification: 40 })).toThrow(
      /cannot be tiled at 40× \(the scan is 20×\): that is finer than it was scanned/,
    )
    expect(() => tileDownsample({ magnification: null, mppX: null }, 480, { magnification: 20 })).toThrow(
      /neither a magnification nor a pixel size/,
    )
    expect(() => tileDownsample({ magnification: 40, mppX: null }, 480, { tileMicrons: 240 })).toThrow(
      /no pixel size/,
    )
  })
})
