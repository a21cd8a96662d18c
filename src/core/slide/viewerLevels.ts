import sharp from 'sharp'
import type { RegionPixels as RawImage } from './slideReader'
import { rawPixels } from './rawPixels'
import type { PyramidLevel } from '../../shared/contract/viewer'
import { levelForDownsample, type SlideReader } from './slideReader'

/**
 * The viewer's levels: level k is the slide at downsample 2^k, down to the first that fits one tile, whatever
 * levels the file stores (Aperio keeps 1, 4, 16…; vips 1, 2, 4…). A level-k tile is read from the stored
 * level just finer than 2^k and shrunk, so no level is ever read whole.
 */
export function viewerLevels(width: number, height: number, tileSize: number): PyramidLevel[] {
  const out: PyramidLevel[] = []
  for (let k = 0; ; k++) {
    const w = Math.ceil(width / 2 ** k)
    const h = Math.ceil(height / 2 ** k)
    out.push({ level: k, width: w, height: h, cols: Math.ceil(w / tileSize), rows: Math.ceil(h / tileSize) })
    if (w <= tileSize && h <= tileSize) return out
  }
}

/** RGB pixels of viewer tile (tx, ty) at level k: min(tileSize, what is left of the level) on each side. */
export async function readViewerTile(
  reader: SlideReader,
  level: PyramidLevel,
  tx: number,
  ty: number,
  tileSize: number,
): Promise<RawImage> {
  const f = 2 ** level.level
  const tw = Math.min(tileSize, level.width - tx * tileSize)
  const th = Math.min(tileSize, level.height - ty * tileSize)
  const stored = levelForDownsample(reader.levels, f)
  const lv = reader.levels[stored]
  const d = lv.downsample
  // The tile's level-0 rectangle, in the stored level's pixels.
  const x0 = Math.floor((tx * tileSize * f) / d)
  const y0 = Math.floor((ty * tileSize * f) / d)
  const x1 = Math.min(lv.width, Math.ceil(Math.min(reader.width, (tx * tileSize + tw) * f) / d))
  const y1 = Math.min(lv.height, Math.ceil(Math.min(reader.height, (ty * tileSize + th) * f) / d))
  const region = await reader.readRegion(stored, x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0))
  if (region.width === tw && region.height === th) return region
  return rawPixels(
    await sharp(region.data, { raw: { width: region.width, height: region.height, channels: 3 } })
      .resize(tw, th, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer({ resolveWithObject: true }),
  )
}
