import sharp from 'sharp'
import { rawImage, type RawImage } from './rawImage'
import { flatImageInput } from './flatImageLimit'
import { abortable } from './abortable'
import { rawPixels } from '../slide/rawPixels'

/** The paper's tile side (section 3.3.1): large enough to avoid empty tiles on 1408 × 1876 slides. */
export const TILE_SIZE = 480

/** Where a tile comes from in its source image. Edge tiles cover less than `tileSize` and are padded. */
export interface TilePosition {
  x: number
  y: number
  width: number
  height: number
}

export interface ImageTile extends TilePosition {
  tileSize: number
  /** The tile as a `tileSize` × `tileSize` RGB PNG, blank (black) where it runs past the image. */
  png: Buffer
}

/** Images up to this many pixels are decoded once; larger ones are read stripe by stripe. */
const WHOLE_DECODE_LIMIT = 40_000_000

/** Row-major grid of tiles covering the image; a 1408 × 1876 image gives 3 × 4 = 12 tiles at 480. */
export function tileGrid(width: number, height: number, tileSize = TILE_SIZE): TilePosition[] {
  if (!(width > 0 && height > 0 && tileSize > 0)) {
    throw new Error(`tileGrid needs positive sizes, got ${width} × ${height} at tile ${tileSize}`)
  }
  const out: TilePosition[] = []
  for (let y = 0; y < height; y += tileSize) {
    for (let x = 0; x < width; x += tileSize) {
      out.push({ x, y, width: Math.min(tileSize, width - x), height: Math.min(tileSize, height - y) })
    }
  }
  return out
}

/**
 * Copies the tile at `pos` out of `raw` into a `tileSize` square filled with `fill` (blank padding).
 * `raw` may be a horizontal stripe of the image starting at row `originY`.
 */
export function cropPadded(
  raw: RawImage,
  pos: TilePosition,
  tileSize = TILE_SIZE,
  fill = 0,
  originY = 0,
): RawImage {
  const c = raw.channels
  const out = rawImage(tileSize, tileSize, c, fill)
  const top = pos.y - originY
  if (pos.x < 0 || top < 0 || pos.x + pos.width > raw.width || top + pos.height > raw.height) {
    throw new Error(`Tile ${JSON.stringify(pos)} lies outside the ${raw.width} × ${raw.height} pixels given`)
  }
  const rowBytes = pos.width * c
  for (let r = 0; r < pos.height; r++) {
    const from = ((top + r) * raw.width + pos.x) * c
    out.data.set(raw.data.subarray(from, from + rowBytes), r * tileSize * c)
  }
  return out
}

/**
 * PNG of raw pixels. One-channel input (class-index masks) stays a one-channel grey PNG; read it back with
 * `sharp(png).extractChannel(0).raw()`, as sharp otherwise expands grey to RGB.
 */
export async function encodePng(raw: RawImage): Promise<Buffer> {
  const s = sharp(raw.data, {
    raw: { width: raw.width, height: raw.height, channels: raw.channels as 1 | 2 | 3 | 4 },
  })
  return (raw.channels === 1 ? s.toColourspace('b-w') : s).png({ compressionLevel: 2 }).toBuffer()
}

/** Decodes (part of) an image file as 8-bit RGB, ignoring alpha, without EXIF auto-rotation (masks follow the stored pixels). */
export async function readRgb(
  source: string | Buffer,
  region?: { left: number; top: number; width: number; height: number },
): Promise<RawImage> {
  let s = sharp(source, { ...flatImageInput, failOn: 'warning' })
  if (region) s = s.extract(region)
  const { data, info } = await s
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.channels !== 3) throw new Error(`Expected RGB pixels, got ${info.channels} channels`)
  return rawPixels({ data, info })
}

/**
 * Tiles an image file (or an already decoded image) into padded `tileSize` squares, in row-major order.
 * Big images (tiled/pyramidal TIFF slides) are read one stripe of tiles at a time, so the whole image
 * is never held in JS memory.
 */
export async function* tileImage(
  source: string | Buffer | RawImage,
  tileSize = TILE_SIZE,
  wholeDecodeLimit = WHOLE_DECODE_LIMIT,
  /** A cancel ends the tiling at once, even mid-decode (see abortable). */
  signal?: AbortSignal,
): AsyncGenerator<ImageTile> {
  let width: number
  let height: number
  let whole: RawImage | null = null
  if (typeof source === 'string' || Buffer.isBuffer(source)) {
    const meta = await abortable(sharp(source, flatImageInput).metadata(), signal)
    width = meta.width
    height = meta.height
    if (width * height <= wholeDecodeLimit) whole = await abortable(readRgb(source), signal)
  } else {
    whole = source
    width = source.width
    height = source.height
  }
  const grid = tileGrid(width, height, tileSize)
  for (let y = 0; y < height; y += tileSize) {
    const rowTiles = grid.filter((t) => t.y === y)
    const stripeHeight = Math.min(tileSize, height - y)
    const stripe =
      whole ??
      (await abortable(
        readRgb(source as string | Buffer, { left: 0, top: y, width, height: stripeHeight }),
        signal,
      ))
    const originY = whole ? 0 : y
    // Encode a stripe's tiles concurrently: libvips runs them on its own threads.
    const pngs = await abortable(
      Promise.all(rowTiles.map((t) => encodePng(cropPadded(stripe, t, tileSize, 0, originY)))),
      signal,
    )
    for (let i = 0; i < rowTiles.length; i++) yield { ...rowTiles[i], tileSize, png: pngs[i] }
  }
}
