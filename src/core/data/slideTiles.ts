import path from 'node:path'
import type { ImageTile } from './tileImage'
import { encodePng, tileGrid } from './tileImage'
import { rawImage } from './rawImage'
import { openWholeSlide } from '../slide/openWholeSlide'
import { slideFormatOf } from '../slide/slideFormats'

/** Files the importer reads through a slide reader rather than as one picture (everything but PNG/JPEG). */
export function readsAsSlide(file: string): boolean {
  const ext = path.extname(file).toLowerCase()
  return ext !== '.png' && ext !== '.jpg' && ext !== '.jpeg' && slideFormatOf(file) !== undefined
}

/** Size and stored format id of a slide (throws SlideFormatError with a message for the import report). */
export async function slideMetadata(
  file: string,
): Promise<{ format: string; width: number; height: number; channels: number }> {
  const slide = await openWholeSlide(file)
  await slide.close()
  return { format: slide.format, width: slide.width, height: slide.height, channels: 3 }
}

/**
 * Training tiles of a slide, row-major, as `tileImage` cuts a picture: `tileSize` squares of level 0 padded
 * with black past the edge, each read through the slide reader (never the whole level).
 */
export async function* slideTiles(
  file: string,
  tileSize: number,
  signal?: AbortSignal,
): AsyncGenerator<ImageTile> {
  const reader = await openWholeSlide(file)
  try {
    for (const pos of tileGrid(reader.width, reader.height, tileSize)) {
      signal?.throwIfAborted()
      const region = await reader.readRegion(0, pos.x, pos.y, pos.width, pos.height)
      const padded = rawImage(tileSize, tileSize, 3, 0)
      for (let r = 0; r < pos.height; r++)
        padded.data.set(region.data.subarray(r * pos.width * 3, (r + 1) * pos.width * 3), r * tileSize * 3)
      yield { ...pos, tileSize, png: await encodePng(padded) }
    }
  } finally {
    await reader.close()
  }
}
