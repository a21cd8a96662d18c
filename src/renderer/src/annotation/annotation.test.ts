import { describe, expect, it } from 'vitest'
import { paintSegment, type Point } from './brushStroke'
import { floodFill } from './floodFill'
import { fillPolygon } from './polygonFill'
import { TiledMask } from './tiledMask'

function dump(mask: TiledMask): string[] {
  const rows: string[] = []
  for (let y = 0; y < mask.height; y++) {
    let s = ''
    for (let x = 0; x < mask.width; x++) s += String(mask.get(x, y))
    rows.push(s)
  }
  return rows
}

/** The brute-force definition: pixel centre within r of the segment. */
function capsuleReference(w: number, h: number, a: Point, b: Point, r: number): string[] {
  const rows: string[] = []
  for (let y = 0; y < h; y++) {
    let s = ''
    for (let x = 0; x < w; x++) {
      const px = x + 0.5
      const py = y + 0.5
      const dx = b.x - a.x
      const dy = b.y - a.y
      const len2 = dx * dx + dy * dy
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2))
      const d = Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy))
      s += d <= Math.max(0.5, r) ? '1' : '0'
    }
    rows.push(s)
  }
  return rows
}

describe('TiledMask', () => {
  it('writes spans across tile borders and reports per-tile patches in image coordinates', () => {
    const m = new TiledMask(10, 6, 4)
    m.fillSpan(1, 2, 9, 3)
    expect(dump(m)[1]).toBe('0033333330')
    const patches = m.takeUnsaved().sort((p, q) => p.x - q.x)
    expect(patches.map(({ x, y, width, height }) => [x, y, width, height])).toEqual([
      [2, 1, 2, 1],
      [4, 1, 4, 1],
      [8, 1, 1, 1],
    ])
    expect([...patches[1].data]).toEqual([3, 3, 3, 3])
    expect(m.hasUnsaved()).toBe(false)
    // Erasing where nothing is painted allocates nothing and records no change.
    m.fillSpan(5, 0, 10, 0)
    expect(m.tiles.size).toBe(3)
    expect(m.hasUnsaved()).toBe(false)
  })

  it('rolls a stroke back to the snapshot taken before it', () => {
    const m = new TiledMask(10, 6, 4)
    m.fillSpan(2, 0, 10, 1)
    const before = dump(m)
    m.beginSnapshot()
    paintSegment(m, { x: 1, y: 1 }, { x: 9, y: 4 }, 1.2, 2)
    expect(dump(m)).not.toEqual(before)
    m.rollback()
    expect(dump(m)).toEqual(before)
    // A tile loaded as all background holds no array until painted; rolling back restores it to background.
    const e = new TiledMask(8, 8, 4)
    e.loadTile(1, 1, null)
    expect(e.tiles.size).toBe(0)
    expect(e.hasTile(1, 1)).toBe(true)
    e.beginSnapshot()
    paintSegment(e, { x: 6, y: 6 }, { x: 6, y: 6 }, 1, 1)
    expect(e.get(6, 6)).toBe(1)
    e.rollback()
    expect(dump(e).join('')).toBe('0'.repeat(64))
  })

  it('round-trips rectangles and refuses a wrongly sized tile', () => {
    const m = new TiledMask(7, 5, 4)
    const data = Uint8Array.from({ length: 6 * 3 }, (_, i) => i % 4)
    m.writeRect({ x: 1, y: 1, width: 6, height: 3 }, data)
    expect([...m.readRect({ x: 1, y: 1, width: 6, height: 3 })]).toEqual([...data])
    expect(() => m.loadTile(1, 1, new Uint8Array(5))).toThrow(/expected 3/)
  })
})

describe('paintSegment', () => {
  const cases: [Point, Point, number][] = [
    [{ x: 5.5, y: 5.5 }, { x: 5.5, y: 5.5 }, 3],
    [{ x: 2, y: 3 }, { x: 17, y: 9.5 }, 2.2],
    [{ x: 10, y: 1 }, { x: 10, y: 14 }, 1.5],
    [{ x: 1, y: 7.2 }, { x: 18, y: 7.2 }, 2],
    [{ x: 16, y: 2 }, { x: 3, y: 13 }, 3.7],
    [{ x: -4, y: 3 }, { x: 30, y: 12 }, 1],
  ]
  it.each(cases)('matches the brute-force capsule from %o to %o, r=%d', (a, b, r) => {
    const m = new TiledMask(20, 16, 8)
    paintSegment(m, a, b, r, 1)
    expect(dump(m)).toEqual(capsuleReference(20, 16, a, b, r))
  })

  it('paints a 3-px disc as hand-computed and erases it back', () => {
    const m = new TiledMask(7, 7, 4)
    const box = paintSegment(m, { x: 3.5, y: 3.5 }, { x: 3.5, y: 3.5 }, 1.5, 2)
    // Centres within 1.5 of (3.5, 3.5): the 3×3 block (corners at √2 < 1.5); the next ring is 2 away.
    expect(dump(m)).toEqual(['0000000', '0000000', '0022200', '0022200', '0022200', '0000000', '0000000'])
    expect(box).toEqual({ x: 2, y: 2, width: 3, height: 3 })
    paintSegment(m, { x: 3.5, y: 3.5 }, { x: 3.5, y: 3.5 }, 1.5, 0)
    expect(dump(m).join('')).toBe('0'.repeat(49))
  })

  it('marks exactly the box a stroke painted to redraw and to save, split at tile edges', () => {
    const m = new TiledMask(40, 40, 16)
    const a = paintSegment(m, { x: 3, y: 5 }, { x: 12, y: 11 }, 2.5, 1)!
    const b = paintSegment(m, { x: 12, y: 11 }, { x: 9, y: 4 }, 2.5, 1)!
    const x0 = Math.min(a.x, b.x)
    const y0 = Math.min(a.y, b.y)
    const box = {
      x: x0,
      y: y0,
      width: Math.max(a.x + a.width, b.x + b.width) - x0,
      height: Math.max(a.y + a.height, b.y + b.height) - y0,
    }
    expect(box.x + box.width).toBeLessThanOrEqual(16)
    expect(m.takeDrawDirty()).toEqual([{ tx: 0, ty: 0, rect: box }])
    const [patch, ...rest] = m.takeUnsaved()
    expect(rest).toEqual([])
    expect({ x: patch.x, y: patch.y, width: patch.width, height: patch.height }).toEqual(box)
    // Across a tile edge: one rectangle per tile, in that tile's coordinates.
    paintSegment(m, { x: 14, y: 20 }, { x: 18, y: 20 }, 1, 2)
    expect(m.takeDrawDirty()).toEqual([
      { tx: 0, ty: 1, rect: { x: 13, y: 3, width: 3, height: 2 } },
      { tx: 1, ty: 1, rect: { x: 0, y: 3, width: 3, height: 2 } },
    ])
  })

  it('touches only the tiles under the stroke on a large mask', () => {
    const m = new TiledMask(20000, 20000, 512)
    paintSegment(m, { x: 10000, y: 10000 }, { x: 10040, y: 10000 }, 8, 1)
    expect(m.tiles.size).toBe(1)
    const [p] = m.takeUnsaved()
    expect(p.width * p.height).toBeLessThan(60 * 20)
  })
})

describe('floodFill', () => {
  it('fills the enclosed region only, 4-connected, within bounds', () => {
    const m = new TiledMask(6, 5, 4)
    const rows = ['111111', '100101', '101101', '111001', '000011']
    rows.forEach((r, y) => [...r].forEach((c, x) => c === '1' && m.fillSpan(y, x, x + 1, 1)))
    m.takeUnsaved()
    expect(floodFill(m, 1, 1, 2, { x: 0, y: 0, width: 6, height: 5 })).toBe(3)
    expect(dump(m)).toEqual(['111111', '122101', '121101', '111001', '000011'])
    // The right pocket runs down to (3,3),(4,3); bounds of three rows stop the fill before it.
    expect(floodFill(m, 4, 1, 3, { x: 3, y: 0, width: 3, height: 3 })).toBe(2)
    expect(dump(m)[1]).toBe('122131')
    expect(dump(m)[3]).toBe('111001')
    expect(floodFill(m, 0, 0, 1, { x: 0, y: 0, width: 6, height: 5 })).toBe(0)
  })
})

describe('fillPolygon', () => {
  it('fills pixel centres inside a triangle (even-odd), hand-computed', () => {
    const m = new TiledMask(6, 6, 4)
    fillPolygon(
      m,
      [
        { x: 0, y: 0 },
        { x: 6, y: 0 },
        { x: 0, y: 6 },
      ],
      1,
    )
    // Row y: centre cy=y+.5, edge x = 6 - cy; pixel x inside when x+.5 < 6 - cy.
    expect(dump(m)).toEqual(['111110', '111100', '111000', '110000', '100000', '000000'])
  })

  it('leaves the hole of a self-overlapping star empty (even-odd)', () => {
    const m = new TiledMask(11, 11, 8)
    const pts = [0, 1, 2, 3, 4].map((i) => {
      const a = -Math.PI / 2 + (i * 4 * Math.PI) / 5
      return { x: 5.5 + 5 * Math.cos(a), y: 5.5 + 5 * Math.sin(a) }
    })
    fillPolygon(m, pts, 1)
    expect(m.get(5, 5)).toBe(0)
    expect(m.get(5, 2)).toBe(1)
  })
})
