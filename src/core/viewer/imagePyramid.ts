import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { getImage } from '../store/images'
import type { Project } from '../store/project'
import { slideInfo } from '../store/slideInfo'
import { openWholeSlide } from '../slide/openWholeSlide'
import type { SlideReader } from '../slide/slideReader'
import { effectiveMagnification, type SlideProperties } from '../slide/slideProperties'
import { readViewerTile, viewerLevels } from '../slide/viewerLevels'
import type { Pyramid, SlidePhysicalSize } from '../../shared/contract/viewer'
import { flatImageInput } from '../data/flatImageLimit'
import { flatPreview, previewDownsample } from './flatPreview'

/** Edge of the square tiles the viewer loads, at every level. */
export const TILE_SIZE = 512
/** Slides kept open at once (each holds its file's structure; OpenSlide handles hold more). */
const KEEP_OPEN = 8

/** Where an image's viewer tiles come from. */
interface TileSource {
  /** The full-resolution reader: the slide itself, or its cached pyramid once built. */
  full: Promise<SlideReader>
  /** A flat image's quick preview while its pyramid is being built (null: nothing is being built). */
  preview: Promise<SlideReader> | null
  /** Set once `full` has opened. */
  ready: boolean
  /** What the file itself says (a flat TIFF's tags), for the physical size before the pyramid exists. */
  properties: SlideProperties | null
}

const readers = new WeakMap<Project, Map<string, Promise<TileSource>>>()
/** Pyramids are built one at a time: two 20,000² builds at once would only slow each other. */
let building: Promise<unknown> = Promise.resolve()
const tiles = new WeakMap<Project, Map<string, string>>()

const FORMAT_NAMES: Record<string, string> = { png: 'PNG', jpeg: 'JPEG', tiff: 'TIFF' }

function pyramidFile(project: Project, blob: string): string {
  return path.join(project.dir, 'cache', 'pyramid', `${blob}.tif`)
}

/**
 * A pyramidal TIFF written once into the project's cache folder for an image that is not one already
 * (PNG, JPEG, a single-level TIFF); libvips streams it, so even a 20,000² image never sits in memory whole.
 */
async function cachedPyramid(project: Project, blob: string): Promise<string> {
  const original = project.blobs.pathOf(blob)
  const file = pyramidFile(project, blob)
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true })
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

function readySource(reader: SlideReader): TileSource {
  return { full: Promise.resolve(reader), preview: null, ready: true, properties: reader.properties }
}

/**
 * Where the viewer cuts tiles from: the slide itself when it is a whole-slide format or already a TIFF
 * pyramid (read region by region, never a whole level), otherwise the cached pyramid. While that pyramid is
 * first built (15 s for a flat 20,000² image), a quick preview serves the coarse levels, so the image shows
 * at once and sharpens when the pyramid is there.
 */
async function openSource(
  project: Project,
  blob: string,
  format: string,
  size: { width: number; height: number },
): Promise<TileSource> {
  const original = project.blobs.pathOf(blob)
  let properties: SlideProperties | null = null
  if (format !== 'png' && format !== 'jpeg') {
    const own = await openWholeSlide(original, format).catch((e: unknown) => {
      if (format !== 'tiff') throw e
      return null
    })
    // A TIFF that is a pyramid (or small) is read in place; a big single-level one gets a cached pyramid.
    if (own && (own.levels.length > 1 || Math.max(own.width, own.height) <= 2 * TILE_SIZE))
      return readySource(own)
    properties = own?.properties ?? null
    await own?.close()
  }
  if (fs.existsSync(pyramidFile(project, blob)))
    return readySource(await openWholeSlide(pyramidFile(project, blob)))
  const none = { vendor: 'tiff', mppX: null, mppY: null, magnification: null, scanner: null }
  const preview = flatPreview(original, size.width, size.height, properties ?? none)
  // The preview first (it is what the user waits for), then the pyramid, after any other being built.
  const built = Promise.all([preview.catch(() => undefined), building]).then(() =>
    cachedPyramid(project, blob),
  )
  building = built.catch(() => undefined)
  const source: TileSource = {
    full: built.then((file) => openWholeSlide(file)),
    preview,
    ready: false,
    properties,
  }
  source.full.then(
    () => (source.ready = true),
    () => undefined,
  )
  return source
}

function tileSource(project: Project, imageId: number): Promise<TileSource> {
  const img = getImage(project, imageId)
  let open = readers.get(project)
  if (!open) readers.set(project, (open = new Map()))
  let source = open.get(img.blob)
  if (source) {
    open.delete(img.blob)
    open.set(img.blob, source)
    return source
  }
  source = openSource(project, img.blob, img.format, img)
  open.set(img.blob, source)
  const perProject = open
  const forget = () => perProject.get(img.blob) === source && perProject.delete(img.blob)
  source.then((s) => s.full.catch(forget), forget)
  while (open.size > KEEP_OPEN) {
    const [oldest, r] = open.entries().next().value as [string, Promise<TileSource>]
    open.delete(oldest)
    void r
      .then((s) => {
        void s.full.then((x) => x.close()).catch(() => undefined)
        void s.preview?.then((x) => x.close()).catch(() => undefined)
      })
      .catch(() => undefined)
  }
  return source
}

/** The slide's physical size as stored at import (slide_info), else as its reader (or its own tags) say. */
function physicalSize(
  project: Project,
  imageId: number,
  reader: SlideReader | null,
  properties: SlideProperties | null,
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
  const p = reader?.properties ??
    properties ?? { vendor: 'tiff', mppX: null, mppY: null, magnification: null, scanner: null }
  const cached = !reader || reader.file.includes(`${path.sep}cache${path.sep}pyramid${path.sep}`)
  return {
    formatName: cached ? (FORMAT_NAMES[format] ?? format) : reader.formatName,
    mppX: p.mppX,
    mppY: p.mppY,
    magnification: effectiveMagnification(p),
    magnificationEstimated: !p.magnification && p.mppX !== null,
    scanner: p.scanner,
  }
}

/** The viewer's levels of an image; a flat image's answer does not wait for its pyramid to be built. */
export async function imagePyramid(project: Project, imageId: number): Promise<Pyramid> {
  const img = getImage(project, imageId)
  const source = await tileSource(project, imageId)
  const reader = source.ready || !source.preview ? await source.full : null
  return {
    imageId,
    width: img.width,
    height: img.height,
    tileSize: TILE_SIZE,
    levels: viewerLevels(img.width, img.height, TILE_SIZE),
    physical: physicalSize(project, imageId, reader, source.properties, img.format),
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
  const source = await tileSource(project, imageId)
  // While a flat image's pyramid is built, its coarse levels are cut from the preview.
  const fromPreview =
    !source.ready && source.preview !== null && 2 ** levelIndex >= previewDownsample(img.width, img.height)
  const reader = await (fromPreview ? source.preview!.catch(() => source.full) : source.full)
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
