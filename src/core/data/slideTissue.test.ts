import { describe, expect, it } from 'vitest'
import { encodeTissueMask, MIN_TISSUE_FRACTION, tileIsUsed, tissueFraction } from './slideTissue'

describe('which slide tiles are mostly glass', () => {
  // A 4×2 tissue mask of an 80×40 slide (10 level-0 pixels per mask pixel): tissue in the left 3 columns.
  const mask = { width: 4, height: 2, downsample: 10, data: Uint8Array.from([1, 1, 1, 0, 1, 1, 1, 0]) }
  const image = { width: 80, height: 40 }

  it('weights mask pixels by how much of the tile they cover (hand-computed)', () => {
    expect(tissueFraction(mask, image, { x: 0, y: 0, width: 40, height: 40 })).toBe(1)
    expect(tissueFraction(mask, image, { x: 60, y: 0, width: 20, height: 40 })).toBe(0)
    // x 40–80: mask columns 2 (tissue) and 3 (glass), half each.
    expect(tissueFraction(mask, image, { x: 40, y: 0, width: 40, height: 40 })).toBe(0.5)
    // x 45–75: column 2 from 4.5 to 6 (1.5 of 3 mask pixels of width) is tissue.
    expect(tissueFraction(mask, image, { x: 45, y: 10, width: 30, height: 20 })).toBeCloseTo(1.5 / 3)
    expect(tissueFraction(mask, image, { x: 50, y: 0, width: 30, height: 40 })).toBeCloseTo(1 / 3)
  })

  it('uses a tile with at least half tissue and skips one that is mostly glass', () => {
    expect(MIN_TISSUE_FRACTION).toBe(0.5)
    expect(tileIsUsed(mask, image, { x: 40, y: 0, width: 40, height: 40 })).toBe(true)
    expect(tileIsUsed(mask, image, { x: 50, y: 0, width: 30, height: 40 })).toBe(false)
  })

  it('stores the mask as a binary PGM', () => {
    const pgm = encodeTissueMask(mask)
    expect(pgm.subarray(0, 11).toString('latin1')).toBe('P5\n4 2\n255\n')
    expect([...pgm.subarray(11)]).toEqual([255, 255, 255, 0, 255, 255, 255, 0])
  })
})
