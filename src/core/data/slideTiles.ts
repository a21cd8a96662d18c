import path from 'node:path'
import sharp from 'sharp'
import type { ImageTile } from './tileImage'
import { encodePng, tileGrid } from './tileImage'
import { rawImage } from './rawImage'
import { openWholeSlide } from '../slide/openWholeSlide'
import { rawPixels } from '../slide/rawPixels'
import { slideFormatOf } from '../slide/slideFormats'
import { levelForDownsample } from '../slide/slideReader'
import type { SlideProperties } from '../slide/slideProperties'

/** Files the importer reads through a slide reader rather than as one picture (everything but PNG/JPEG). */
export function readsAsSlide(file: string): boolean {
  const ext = path.extname(file).toLowerCase()
  return ext !== '.png' && ext !== '.jpg' && ext !== '.jpeg' && slideFormatOf(file) !== undefined
}

export interface SlideImportMetadata {
  format: string
  formatName: string
  width: number
  height: number
  channels: number
  /** Stored levels: 1 for a plain TIFF, several for a whole-slide pyramid. */
  levels: number
  properties: SlideProperties
}

/** Size, format and physical size of a slide (throws SlideFormatError with a message for the import report). */
export async function slideMetadata(file: string): Promise<SlideImportMetadata> {
  const slide = await openWholeSlide(file)
  await slide.close()
  return {
    format: slide.format,
    formatName: slide.formatName,
    width: slide.width,
    height: slide.height,
    channels: 3,
    levels: slide.levels.length,
    properties: slide.properties,
  }
}

export interface SlideTilingOptions {
  /** Level-0 pixels per tile pixel (tileScale.ts): 2 cuts a 40× scan's tiles at 20×. */
  downsample?: number
  /** Tiles (level-0 rectangles) for which this says false are not cut. */
  keep?(tile: { x: number; y: number; width: number; height: number }): boolean
  signal?: AbortSignal
}

/**
 * Training tiles of a slide, row-major, as `tileImage` cuts a picture: `tileSize` squares padded with black
 * past the edge, each read through the slide reader from the stored level nearest the wanted resolution
 * (never a whole level). At downsample d a tile covers round(tileSize·d) level-0 pixels; its position and
 * `tileSize` field are in level-0 pixels, so masks and predictions line up with it as with any tile.
 */
export async function* slideTiles(
  file: string,
  tileSize: number,
  opts: SlideTilingOptions = {},
): AsyncGenerator<ImageTile> {
  const d = opts.downsample ?? 1
  const span = Math.round(tileSize * d)
  const reader = await openWholeSlide(file)
  try {
    const stored = levelForDownsample(reader.levels, d)
    const lv = reader.levels[stored]
    for (const pos of tileGrid(reader.width, reader.height, span)) {
      opts.signal?.throwIfAborted()
      if (opts.keep && !opts.keep(pos)) continue
      // The tile's level-0 rectangle in the stored level, then shrunk to the wanted resolution.
      const x0 = Math.floor(pos.x / lv.downsample)
      const y0 = Math.floor(pos.y / lv.downsample)
      const w = Math.max(1, Math.min(lv.width, Math.ceil((pos.x + pos.width) / lv.downsample)) - x0)
      const h = Math.max(1, Math.min(lv.height, Math.ceil((pos.y + pos.height) / lv.downsample)) - y0)
      let region = await reader.readRegion(stored, x0, y0, w, h)
      const outW = Math.min(tileSize, Math.max(1, Math.round(pos.width / d)))
      const outH = Math.min(tileSize, Math.max(1, Math.round(pos.height / d)))
      if (region.width !== outW || region.height !== outH) {
        region = rawPixels(
          await sharp(region.data, { raw: { width: region.width, height: region.height, channels: 3 } })
            .resize(outW, outH, { fit: 'fill' })
            .raw()
            .toBuffer({ resolveWithObject: true }),
        )
      }
      const padded = rawImage(tileSize, tileSize, 3, 0)
      for (let r = 0; r < outH; r++)
        padded.data.set(region.data.subarray(r * outW * 3, (r + 1) * outW * 3), r * tileSize * 3)
      yield { ...pos, tileSize: span, png: await encodePng(padded) }
    }
  } finally {
    await reader.close()
  }
}
