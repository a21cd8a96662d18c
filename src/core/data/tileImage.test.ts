import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { rawImage, type RawImage } from './rawImage'
import { cropPadded, readRgb, tileGrid, tileImage, type TilePosition } from './tileImage'

/** Tiling's inverse, here only to check tiling loses nothing (predictions are stitched by eval/stitchTiles). */
function stitchTiles(
  tiles: { position: TilePosition; raw: RawImage }[],
  width: number,
  height: number,
  channels: number,
): RawImage {
  const out = rawImage(width, height, channels)
  for (const { position: p, raw } of tiles) {
    if (raw.channels !== channels)
      throw new Error(`A tile has ${raw.channels} channels, the canvas ${channels}`)
    if (p.x + p.width > width || p.y + p.height > height) {
      throw new Error(`Tile ${JSON.stringify(p)} lies outside the ${width} × ${height} canvas`)
    }
    for (let r = 0; r < p.height; r++) {
      const from = r * raw.width * channels
      out.data.set(raw.data.subarray(from, from + p.width * channels), ((p.y + r) * width + p.x) * channels)
    }
  }
  return out
}

function ramp(width: number, height: number, channels = 3): RawImage {
  const data = new Uint8Array(width * height * channels)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let k = 0; k < channels; k++)
        data[(y * width + x) * channels + k] = (x * 7 + y * 13 + k * 50) % 251
  return { data, width, height, channels }
}

describe('tileGrid', () => {
  it('gives the paper’s 12 tiles for a 1408 × 1876 image, with the edge tiles cut short', () => {
    const g = tileGrid(1408, 1876, 480)
    expect(g).toHaveLength(12)
    expect(g[0]).toEqual({ x: 0, y: 0, width: 480, height: 480 })
    expect(g[2]).toEqual({ x: 960, y: 0, width: 448, height: 480 })
    expect(g[11]).toEqual({ x: 960, y: 1440, width: 448, height: 436 })
    // Every pixel is covered exactly once.
    expect(g.reduce((s, t) => s + t.width * t.height, 0)).toBe(1408 * 1876)
  })

  it('gives one tile for an image exactly one tile big, and refuses empty sizes', () => {
    expect(tileGrid(480, 480)).toEqual([{ x: 0, y: 0, width: 480, height: 480 }])
    expect(() => tileGrid(0, 10)).toThrow(/positive/)
  })
})

describe('cropPadded and stitchTiles', () => {
  it('copy pixels to the right place and pad the rest blank', () => {
    const img = ramp(5, 3, 1)
    const t = cropPadded(img, { x: 4, y: 2, width: 1, height: 1 }, 2)
    expect([...t.data]).toEqual([img.data[2 * 5 + 4], 0, 0, 0])
  })

  it('are inverse: tiling then stitching gives the image back', () => {
    const img = ramp(11, 7)
    const tiles = tileGrid(11, 7, 4).map((position) => ({ position, raw: cropPadded(img, position, 4) }))
    expect(tiles).toHaveLength(6)
    expect(stitchTiles(tiles, 11, 7, 3).data).toEqual(img.data)
  })
})

describe('tileImage', () => {
  it('tiles a 1408 × 1876 image into 12 PNG tiles of 480 with black padding and the source pixels', async () => {
    const src = ramp(1408, 1876)
    const png = await sharp(src.data, { raw: { width: 1408, height: 1876, channels: 3 } })
      .png()
      .toBuffer()
    const decoded = await readRgb(png)
    const tiles = []
    for await (const t of tileImage(png)) tiles.push(t)
    expect(tiles).toHaveLength(12)
    const last = tiles[11]
    expect([last.x, last.y, last.width, last.height, last.tileSize]).toEqual([960, 1440, 448, 436, 480])
    const raw = await readRgb(last.png)
    expect([raw.width, raw.height]).toEqual([480, 480])
    // Inside: the source pixel; outside the image: blank.
    const at = (r: RawImage, x: number, y: number) => [
      ...r.data.subarray((y * r.width + x) * 3, (y * r.width + x) * 3 + 3),
    ]
    expect(at(raw, 10, 20)).toEqual(at(decoded, 970, 1460))
    expect(at(raw, 447, 435)).toEqual(at(decoded, 1407, 1875))
    expect(at(raw, 448, 0)).toEqual([0, 0, 0])
    expect(at(raw, 0, 436)).toEqual([0, 0, 0])
  })

  it('gives the same tiles whether an image is decoded whole or read stripe by stripe', async () => {
    const src = ramp(37, 29)
    const png = await sharp(src.data, { raw: { width: 37, height: 29, channels: 3 } })
      .png()
      .toBuffer()
    const fromFile = []
    for await (const t of tileImage(png, 16, 0)) fromFile.push(await readRgb(t.png))
    const fromRaw = []
    for await (const t of tileImage(src, 16)) fromRaw.push(await readRgb(t.png))
    expect(fromFile).toHaveLength(6)
    expect(fromFile.map((r) => r.data)).toEqual(fromRaw.map((r) => r.data))
  })
})
