import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../engine/seededRandom'
import { maskRegion, type MaskRaster } from '../data/maskRaster'
import { traceMaskPolygons, type MaskSource, type PolygonRings } from './maskTracing'
import { rasterisePolygons, type RasterShape } from './polygonRaster'

function source(m: MaskRaster): MaskSource {
  return { width: m.width, height: m.height, region: async (x, y, w, h) => maskRegion(m, x, y, w, h) }
}

/** A mask from rows of characters: '.' is 0, a digit is its class. */
function maskOf(rows: string[]): MaskRaster {
  const width = rows[0].length
  const data = new Uint8Array(width * rows.length)
  rows.forEach((r, y) => [...r].forEach((c, x) => (data[y * width + x] = c === '.' ? 0 : Number(c))))
  return { width, height: rows.length, data }
}

async function roundTrip(m: MaskRaster, traceTile: number, rasterTile: number): Promise<Uint8Array> {
  const traced = await traceMaskPolygons(source(m), traceTile)
  const shapes: RasterShape[] = [...traced].map(([value, polygons]) => ({ value, polygons }))
  const out = new Uint8Array(m.width * m.height)
  await rasterisePolygons(shapes, m, rasterTile, (t) => {
    for (let r = 0; r < t.height; r++)
      for (let c = 0; c < t.width; c++) {
        const v = t.data[r * t.width + c]
        if (v) out[(t.y + r) * m.width + t.x + c] = v
      }
  })
  return out
}

function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++
  return n
}

/** Independent check of the pixel-centre rule: even–odd crossings of every ring of one polygon. */
function centreInside(rings: PolygonRings, px: number, py: number): boolean {
  let inside = false
  for (const ring of rings)
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i]
      const [x2, y2] = ring[i + 1]
      if (y1 > py !== y2 > py && px < x1 + ((py - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside
    }
  return inside
}

describe('tracing a mask into polygons', () => {
  it('writes a ring with a hole along pixel edges, shell positive and hole negative, turning corners only', async () => {
    const m = maskOf(['.....', '.111.', '.1.1.', '.111.', '.....'])
    const traced = await traceMaskPolygons(source(m), 64)
    expect([...traced.keys()]).toEqual([1])
    const [polygon, ...rest] = traced.get(1)!
    expect(rest).toEqual([])
    expect(polygon).toEqual([
      [
        [1, 1],
        [4, 1],
        [4, 4],
        [1, 4],
        [1, 1],
      ],
      [
        [3, 2],
        [2, 2],
        [2, 3],
        [3, 3],
        [3, 2],
      ],
    ])
  })

  it('keeps pixels that touch only at a corner in separate polygons', async () => {
    const traced = await traceMaskPolygons(source(maskOf(['1.', '.1'])), 64)
    expect(traced.get(1)).toEqual([
      [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
      [
        [
          [1, 1],
          [2, 1],
          [2, 2],
          [1, 2],
          [1, 1],
        ],
      ],
    ])
  })

  it('cuts an outline that passes one corner twice into a shell and a hole touching there', async () => {
    // The U's arms close diagonally at (3,1)/(2,2): the background inside is a hole touching the shell.
    const m = maskOf(['111.', '1..1', '1111'])
    const [polygon] = (await traceMaskPolygons(source(m), 64)).get(1)!
    expect(polygon).toHaveLength(2)
    for (const ring of polygon) {
      const corners = ring.slice(0, -1).map(String)
      expect(new Set(corners).size).toBe(corners.length)
    }
    expect(await roundTrip(m, 64, 64)).toEqual(m.data)
  })

  it('gives back the same pixels: nested holes, several classes, touching regions, image borders', async () => {
    const m = maskOf([
      '1111111111..',
      '1........1.2',
      '1.222222.1.2',
      '1.2....2.122',
      '1.2.11.2.1..',
      '1.2.11.2.133',
      '1.2....2.1.3',
      '1.2222223311',
      '1........1.1',
      '1111111111.1',
    ])
    for (const tile of [3, 5, 64]) expect(differing(await roundTrip(m, tile, 4), m.data)).toBe(0)
    const traced = await traceMaskPolygons(source(m), 64)
    expect([...traced.keys()]).toEqual([1, 2, 3])
  })

  it('gives each hole to the innermost outline around it when one class nests in itself', async () => {
    const m = maskOf(['1111111', '1.....1', '1.111.1', '1.1.1.1', '1.111.1', '1.....1', '1111111'])
    const polygons = (await traceMaskPolygons(source(m), 4)).get(1)!
    expect(polygons.map((p) => p.length)).toEqual([2, 2])
    expect(await roundTrip(m, 4, 4)).toEqual(m.data)
  })

  it('gives back the same pixels of random masks of four classes, traced and filled tile by tile', async () => {
    const rnd = createSeededRandom(17)
    for (let n = 0; n < 12; n++) {
      const width = 5 + Math.floor(rnd.next() * 60)
      const height = 5 + Math.floor(rnd.next() * 50)
      const fill = 0.2 + 0.7 * rnd.next()
      const data = new Uint8Array(width * height)
      for (let i = 0; i < data.length; i++) data[i] = rnd.next() < fill ? 1 + Math.floor(rnd.next() * 3) : 0
      const m = { width, height, data }
      const tile = 3 + Math.floor(rnd.next() * 20)
      expect(differing(await roundTrip(m, tile, 7), m.data)).toBe(0)
    }
  })
})

describe('filling polygons by pixel centres', () => {
  it('matches an independent point-in-polygon test on an outline drawn off the pixel grid', async () => {
    const polygon: PolygonRings = [
      [
        [0.3, 0.2],
        [17.8, 2.6],
        [12.25, 14.9],
        [2.5, 11.5],
        [0.3, 0.2],
      ],
      [
        [5.1, 4.4],
        [6.7, 9.3],
        [10.5, 5.5],
        [5.1, 4.4],
      ],
    ]
    const width = 19
    const height = 16
    const got = new Uint8Array(width * height)
    await rasterisePolygons([{ value: 2, polygons: [polygon] }], { width, height }, 6, (t) => {
      for (let r = 0; r < t.height; r++)
        for (let c = 0; c < t.width; c++)
          if (t.data[r * t.width + c]) got[(t.y + r) * width + t.x + c] = t.data[r * t.width + c]
    })
    let inside = 0
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const want = centreInside(polygon, x + 0.5, y + 0.5) ? 2 : 0
        if (want) inside++
        expect(got[y * width + x], `pixel ${x},${y}`).toBe(want)
      }
    expect(inside).toBeGreaterThan(80)
  })

  it('paints later shapes over earlier ones and hands out only the tiles a shape reaches', async () => {
    const square = (x0: number, y0: number, x1: number, y1: number): PolygonRings => [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ]
    const tiles: string[] = []
    const got = new Uint8Array(40 * 30)
    await rasterisePolygons(
      [
        { value: 1, polygons: [square(1, 1, 6, 6)] },
        { value: 3, polygons: [square(4, 4, 8, 8), square(31, 21, 33, 24)] },
      ],
      { width: 40, height: 30 },
      10,
      (t) => {
        tiles.push(`${t.x},${t.y}`)
        for (let r = 0; r < t.height; r++)
          for (let c = 0; c < t.width; c++) got[(t.y + r) * 40 + t.x + c] = t.data[r * t.width + c]
      },
    )
    expect(tiles).toEqual(['0,0', '30,20'])
    expect(got[5 * 40 + 5]).toBe(3)
    expect(got[2 * 40 + 2]).toBe(1)
    expect(got[22 * 40 + 32]).toBe(3)
    expect(got.reduce((s, v) => s + (v ? 1 : 0), 0)).toBe(25 + 16 - 4 + 6)
  })
})
