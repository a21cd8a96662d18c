import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { getImage } from '../store/images'
import type { Project } from '../store/project'
import { slideInfo } from '../store/slideInfo'
import { openWholeSlide } from '../slide/openWholeSlide'
import type { SlideReader } from '../slide/slideReader'
import { effectiveMagnification } from '../slide/slideProperties'
import { readViewerTile, viewerLevels } from '../slide/viewerLevels'
import type { Pyramid, SlidePhysicalSize } from '../../shared/contract/viewer'
import { flatImageInput } from '../data/flatImageLimit'

/** Edge of the square tiles the viewer loads, at every level. */
export const TILE_SIZE = 512
/** Slides kept open at once (each holds its file's structure; OpenSlide handles hold more). */
const KEEP_OPEN = 8

const readers = new WeakMap<Project, Map<string, Promise<SlideReader>>>()
const tiles = new WeakMap<Project, Map<string, string>>()

const FORMAT_NAMES: Record<string, string> = { png: 'PNG', jpeg: 'JPEG', tiff: 'TIFF' }

/**
 * A pyramidal TIFF written once into the project's cache folder for an image that is not one already
 * (PNG, JPEG, a single-level TIFF); libvips streams it, so even a 20,000² image never sits in memory whole.
 */
async function cachedPyramid(project: Project, blob: string): Promise<string> {
  const original = project.blobs.pathOf(blob)
  const dir = path.join(project.dir, 'cache', 'pyramid')
  const file = path.join(dir, `${blob}.tif`)
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    let img = sharp(original, flatImageInput).toColourspace('srgb')
    const meta = await sharp(original, flatImageInput).metadata()
    if (meta.hasAlpha) img = img.flatten({ background: '#ffffff' })
    await img
      .toFormat('tiff', {
        tile: true,
        tileWidth: TILE_SIZE,
        tileHeight: TILE_SIZE,
        pyramid: true,
        compression: 'jpeg',
        quality: 92,
      })
      .toFile(tmp)
    fs.renameSync(tmp, file)
  }
  return file
}

/**
 * The reader the viewer cuts tiles from: the slide itself when it is a whole-slide format or already a
 * TIFF pyramid (read region by region, never a whole level), otherwise the cached pyramid.
 */
async function openSource(project: Project, blob: string, format: string): Promise<SlideReader> {
  const original = project.blobs.pathOf(blob)
  if (format !== 'png' && format !== 'jpeg') {
    const own = await openWholeSlide(original, format).catch((e: unknown) => {
      if (format !== 'tiff') throw e
      return null
    })
    // A TIFF that is a pyramid (or small) is read in place; a big single-level one gets a cached pyramid.
    if (own && (own.levels.length > 1 || Math.max(own.width, own.height) <= 2 * TILE_SIZE)) return own
    await own?.close()
  }
  return openWholeSlide(await cachedPyramid(project, blob))
}

function slideReader(project: Project, imageId: number): Promise<SlideReader> {
  const img = getImage(project, imageId)
  let open = readers.get(project)
  if (!open) readers.set(project, (open = new Map()))
  let reader = open.get(img.blob)
  if (reader) {
    open.delete(img.blob)
    open.set(img.blob, reader)
    return reader
  }
  reader = openSource(project, img.blob, img.format)
  open.set(img.blob, reader)
  const perProject = open
  reader.catch(() => perProject.delete(img.blob))
  while (open.size > KEEP_OPEN) {
    const [oldest, r] = open.entries().next().value as [string, Promise<SlideReader>]
    open.delete(oldest)
    void r.then((x) => x.close()).catch(() => undefined)
  }
  return reader
}

/** The slide's physical size as stored at import (slide_info), else as its reader finds it. */
function physicalSize(
  project: Project,
  imageId: number,
  reader: SlideReader,
  format: string,
): SlidePhysicalSize {
  const stored = slideInfo(project, imageId)
  if (stored)
    return {
      formatName: stored.formatName,
      mppX: stored.mppX,
      mppY: stored.mppY,
      magnification: effectiveMagnification(stored),
      magnificationEstimated: !stored.magnification && stored.mppX !== null,
      scanner: stored.scanner,
    }
  const p = reader.properties
  const cached = reader.file.includes(`${path.sep}cache${path.sep}pyramid${path.sep}`)
  return {
    formatName: cached ? (FORMAT_NAMES[format] ?? format) : reader.formatName,
    mppX: p.mppX,
    mppY: p.mppY,
    magnification: effectiveMagnification(p),
    magnificationEstimated: !p.magnification && p.mppX !== null,
    scanner: p.scanner,
  }
}

export async function imagePyramid(project: Project, imageId: number): Promise<Pyramid> {
  const img = getImage(project, imageId)
  const reader = await slideReader(project, imageId)
  return {
    imageId,
    width: img.width,
    height: img.height,
    tileSize: TILE_SIZE,
    levels: viewerLevels(img.width, img.height, TILE_SIZE),
    physical: physicalSize(project, imageId, reader, img.format),
  }
}

/**
 * Blob hashes of JPEG tiles (a tile at (tx, ty) of level k covers level-k pixels from (tx, ty)·tileSize).
 * Each tile is cut once and then served from the blob store.
 */
export async function pyramidTiles(
  project: Project,
  imageId: number,
  levelIndex: number,
  wanted: readonly [number, number][],
): Promise<string[]> {
  const img = getImage(project, imageId)
  const levels = viewerLevels(img.width, img.height, TILE_SIZE)
  const lv = levels[levelIndex]
  if (!lv) throw new Error(`Image ${imageId} has pyramid levels 0..${levels.length - 1}, not ${levelIndex}`)
  const reader = await slideReader(project, imageId)
  let cache = tiles.get(project)
  if (!cache) tiles.set(project, (cache = new Map()))
  return Promise.all(
    wanted.map(async ([tx, ty]) => {
      if (!(tx >= 0 && ty >= 0 && tx < lv.cols && ty < lv.rows))
        throw new Error(`Tile ${tx},${ty} is outside level ${levelIndex} (${lv.cols}×${lv.rows} tiles)`)
      const key = `${img.blob}|${levelIndex}|${tx}|${ty}`
      const hit = cache.get(key)
      if (hit && project.blobs.has(hit)) return hit
      const rgb = await readViewerTile(reader, lv, tx, ty, TILE_SIZE)
      const jpeg = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
        .jpeg({ quality: 90 })
        .toBuffer()
      const blob = project.blobs.put(jpeg)
      cache.set(key, blob)
      return blob
    }),
  )
}
