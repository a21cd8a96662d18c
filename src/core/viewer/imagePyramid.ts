import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { getImage } from '../store/images'
import type { Project } from '../store/project'
import type { Pyramid, PyramidLevel } from '../../shared/contract/viewer'

/** Edge of the square tiles the viewer loads, at every level. */
export const TILE_SIZE = 512

interface PyramidSource {
  file: string
  levels: PyramidLevel[]
}

const sources = new WeakMap<Project, Map<string, Promise<PyramidSource>>>()
const tiles = new WeakMap<Project, Map<string, string>>()

function level(level: number, width: number, height: number): PyramidLevel {
  return { level, width, height, cols: Math.ceil(width / TILE_SIZE), rows: Math.ceil(height / TILE_SIZE) }
}

/** The pages of a multi-page TIFF, when they form a halving pyramid (as whole-slide images do). */
async function tiffPyramidLevels(
  file: string,
  width: number,
  height: number,
): Promise<PyramidLevel[] | null> {
  const meta = await sharp(file, { limitInputPixels: false }).metadata()
  if (meta.format !== 'tiff' || (meta.pages ?? 1) < 2) return null
  const out: PyramidLevel[] = [level(0, width, height)]
  for (let p = 1; p < (meta.pages ?? 1); p++) {
    const m = await sharp(file, { page: p, limitInputPixels: false }).metadata()
    const want = width / 2 ** p
    if (Math.abs((m.width ?? 0) - want) > 1.5 || Math.abs((m.height ?? 0) - height / 2 ** p) > 1.5)
      return null
    out.push(level(p, m.width!, m.height!))
  }
  return out
}

/**
 * A tiled, multi-resolution copy of the image that region reads can use without decoding the whole
 * picture: the source itself when it is already a TIFF pyramid, otherwise a pyramidal TIFF written once
 * into the project's cache folder (libvips streams it, so even a 20,000² image never sits in memory whole).
 */
async function buildSource(
  project: Project,
  blob: string,
  width: number,
  height: number,
): Promise<PyramidSource> {
  const original = project.blobs.pathOf(blob)
  const own = await tiffPyramidLevels(original, width, height).catch(() => null)
  if (own) return { file: original, levels: own }
  const dir = path.join(project.dir, 'cache', 'pyramid')
  const file = path.join(dir, `${blob}.tif`)
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    let img = sharp(original, { limitInputPixels: false }).toColourspace('srgb')
    const meta = await sharp(original, { limitInputPixels: false }).metadata()
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
  const levels = await tiffPyramidLevels(file, width, height)
  // A single-level image (smaller than a tile) is still one page.
  return { file, levels: levels ?? [level(0, width, height)] }
}

function pyramidSource(project: Project, imageId: number): Promise<PyramidSource> {
  const img = getImage(project, imageId)
  let perProject = sources.get(project)
  if (!perProject) sources.set(project, (perProject = new Map()))
  let src = perProject.get(img.blob)
  if (!src) {
    src = buildSource(project, img.blob, img.width, img.height)
    perProject.set(img.blob, src)
    src.catch(() => perProject.delete(img.blob))
  }
  return src
}

export async function imagePyramid(project: Project, imageId: number): Promise<Pyramid> {
  const img = getImage(project, imageId)
  const src = await pyramidSource(project, imageId)
  return { imageId, width: img.width, height: img.height, tileSize: TILE_SIZE, levels: src.levels }
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
  const src = await pyramidSource(project, imageId)
  const lv = src.levels[levelIndex]
  if (!lv)
    throw new Error(`Image ${imageId} has pyramid levels 0..${src.levels.length - 1}, not ${levelIndex}`)
  let cache = tiles.get(project)
  if (!cache) tiles.set(project, (cache = new Map()))
  return Promise.all(
    wanted.map(async ([tx, ty]) => {
      if (!(tx >= 0 && ty >= 0 && tx < lv.cols && ty < lv.rows))
        throw new Error(`Tile ${tx},${ty} is outside level ${levelIndex} (${lv.cols}×${lv.rows} tiles)`)
      const key = `${src.file}|${levelIndex}|${tx}|${ty}`
      const hit = cache.get(key)
      if (hit && project.blobs.has(hit)) return hit
      const left = tx * TILE_SIZE
      const top = ty * TILE_SIZE
      const jpeg = await sharp(src.file, { page: levelIndex, limitInputPixels: false })
        .extract({
          left,
          top,
          width: Math.min(TILE_SIZE, lv.width - left),
          height: Math.min(TILE_SIZE, lv.height - top),
        })
        .jpeg({ quality: 90 })
        .toBuffer()
      const blob = project.blobs.put(jpeg)
      cache.set(key, blob)
      return blob
    }),
  )
}
