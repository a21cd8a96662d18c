import { listImages, listTiles, type TileRow } from '../store/images'
import type { Project } from '../store/project'
import type { GlassTilesSkipped } from '../../shared/training'
import { slideInfo, type TissueRecord } from '../store/slideInfo'
import { detectTissue, type TissueMask } from '../slide/tissueDetection'
import { openWholeSlide } from '../slide/openWholeSlide'
import { LruCache } from './lruCache'

/**
 * Which tiles of a slide are used: the one decision training and prediction both read. A tile is used
 * unless it is mostly glass, i.e. less than MIN_TISSUE_FRACTION of the slide area it covers is tissue in
 * the slide's tissue mask (slide/tissueDetection.ts, found at import). Slides imported without tissue
 * detection, and images that are not slides, use every tile.
 */

/** Coudray et al. 2018 (Nature Medicine, lung WSI tiles): tiles with more than 50 % background were removed. */
export const MIN_TISSUE_FRACTION = 0.5

type Rect = Pick<TileRow, 'x' | 'y' | 'width' | 'height'>
type Size = { width: number; height: number }

/** Fraction of a level-0 rectangle that the tissue mask calls tissue (mask pixels weighted by overlap). */
export function tissueFraction(mask: Omit<TissueMask, 'threshold'>, image: Size, tile: Rect): number {
  const sx = mask.width / image.width
  const sy = mask.height / image.height
  const x0 = tile.x * sx
  const x1 = (tile.x + tile.width) * sx
  const y0 = tile.y * sy
  const y1 = (tile.y + tile.height) * sy
  let tissue = 0
  for (let j = Math.floor(y0); j < Math.min(mask.height, Math.ceil(y1)); j++) {
    const wy = Math.min(j + 1, y1) - Math.max(j, y0)
    for (let i = Math.floor(x0); i < Math.min(mask.width, Math.ceil(x1)); i++)
      if (mask.data[j * mask.width + i]) tissue += wy * (Math.min(i + 1, x1) - Math.max(i, x0))
  }
  return tissue / ((x1 - x0) * (y1 - y0))
}

export function tileIsUsed(mask: Omit<TissueMask, 'threshold'>, image: Size, tile: Rect): boolean {
  return tissueFraction(mask, image, tile) >= MIN_TISSUE_FRACTION
}

/** The tissue mask as stored: a binary PGM (P5), 255 where tissue; small, and read without a decoder. */
export function encodeTissueMask(mask: Pick<TissueMask, 'width' | 'height' | 'data'>): Buffer {
  const header = Buffer.from(`P5\n${mask.width} ${mask.height}\n255\n`)
  return Buffer.concat([header, Buffer.from(mask.data.map((v) => (v ? 255 : 0)))])
}

function decodeTissueMask(bytes: Buffer, downsample: number): Omit<TissueMask, 'threshold'> {
  const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 40).toString('latin1'))
  if (!m) throw new Error('A stored tissue mask is not a binary PGM')
  const width = Number(m[1])
  const height = Number(m[2])
  const data = new Uint8Array(bytes.subarray(m[0].length, m[0].length + width * height)).map((v) =>
    v ? 1 : 0,
  )
  return { width, height, downsample, data }
}

const decoded = new LruCache<Omit<TissueMask, 'threshold'>>(8)

/** The stored tissue mask of a slide (decoded once per blob), or null when it has none. */
export function storedTissueMask(project: Project, imageId: number): Omit<TissueMask, 'threshold'> | null {
  const t = slideInfo(project, imageId)?.tissue
  if (!t) return null
  let m = decoded.get(t.maskBlob)
  if (!m) {
    m = decodeTissueMask(project.blobs.get(t.maskBlob), t.downsample)
    decoded.set(t.maskBlob, m)
  }
  return m
}

/** The tiles of an image that training and prediction use, and how many were skipped as glass. */
export function slideTilesInUse(
  project: Project,
  image: { id: number; width: number; height: number },
  tiles?: TileRow[],
): { tiles: TileRow[]; skipped: number } {
  const all = tiles ?? listTiles(project, image.id)
  const mask = storedTissueMask(project, image.id)
  if (!mask) return { tiles: all, skipped: 0 }
  const used = all.filter((t) => tileIsUsed(mask, image, t))
  return { tiles: used, skipped: all.length - used.length }
}

/**
 * Tiles skipped as mostly glass in each subset of a split (`assignments`: image id → subset), and on how
 * many slides: what a run records. Images outside the split are not counted; they are not read.
 */
export function glassTilesSkipped(
  project: Project,
  assignments: ReadonlyMap<number, string>,
): GlassTilesSkipped {
  const out: GlassTilesSkipped = {
    train: { tiles: 0, slides: 0 },
    val: { tiles: 0, slides: 0 },
    test: { tiles: 0, slides: 0 },
  }
  for (const image of listImages(project)) {
    const subset = assignments.get(image.id)
    if (subset !== 'train' && subset !== 'val' && subset !== 'test') continue
    if (!slideInfo(project, image.id)?.tissue) continue
    const { skipped } = slideTilesInUse(project, image)
    out[subset].tiles += skipped
    if (skipped) out[subset].slides++
  }
  return out
}

/**
 * Finds a slide file's tissue at import: the mask's blob (via `put`) and what it decides for the tiles
 * the import cut.
 */
export async function slideTissueRecord(
  file: string,
  image: Size,
  tiles: Rect[],
  put: (bytes: Buffer) => string,
): Promise<TissueRecord> {
  const slide = await openWholeSlide(file)
  let mask: TissueMask
  try {
    mask = await detectTissue(slide)
  } finally {
    await slide.close()
  }
  const kept = tiles.filter((t) => tileIsUsed(mask, image, t)).length
  return {
    maskBlob: put(encodeTissueMask(mask)),
    downsample: mask.downsample,
    threshold: mask.threshold,
    tilesKept: kept,
    tilesSkipped: tiles.length - kept,
  }
}
