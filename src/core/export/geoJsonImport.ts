import fs from 'node:fs'
import path from 'node:path'
import { putMask } from '../data/maskRaster'
import { TiledMaskWriter, usesTiledMask, MASK_TILE } from '../data/tiledMask'
import { listImages } from '../store/images'
import { addMaskClass, listMaskClasses } from '../store/maskClasses'
import { commitMaskRevision } from '../store/masks'
import type { Project } from '../store/project'
import { listFolder, NOT_UTF8_NAME } from '../store/folderEntries'
import { readRegularText } from '../store/regularFile'
import type { GeoJsonImportSummary, ImageSummary } from '../../shared/types'
import { annotationFileStem } from './annotationExport'
import { rasterisePolygons, type RasterShape } from './polygonRaster'
import { readQuPathGeoJson } from './qupathGeoJson'

export interface GeoJsonImportOptions {
  /** The image a single file belongs to, by name; otherwise each file is matched by its name. */
  image?: string
  /** Add mask classes the files name but the project lacks (with the file's colour), instead of refusing. */
  createClasses?: boolean
  /** Leave out features without a classification instead of refusing the import. */
  skipUnclassified?: boolean
  /** Stops the import before it commits; the project is then left as it was. */
  signal?: AbortSignal
  /** After each file is read and checked, then after each mask is written (`total` counts both). */
  onProgress?: (done: number, total: number, file: string) => void
}

const GEOJSON_EXTENSIONS = ['.geojson', '.json']
/**
 * The largest GeoJSON file read: about the longest text Node holds as one string (2²⁹ characters). A
 * slide's cell detections can come near it; split such an export per region in QuPath.
 */
const MAX_GEOJSON_BYTES = 500 * 1024 ** 2

/** The GeoJSON files of a folder; a symlink or a name that is not UTF-8 (shown by its bytes) refuses the import. */
function geoJsonFilesIn(folder: string): string[] {
  const files: string[] = []
  for (const e of listFolder(folder)) {
    if (!GEOJSON_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) continue
    if (e.badName) throw new Error(`${e.name}: ${NOT_UTF8_NAME}`)
    if (e.kind === 'symlink')
      throw new Error(`${e.name}: is a symbolic link (refused: pick the file it points to)`)
    files.push(path.join(folder, e.name))
  }
  return files
}

/** Finds a file's image: `<image>.geojson` as we export it, or the image's own file name without extension. */
function imageForFile(file: string, images: ImageSummary[]): ImageSummary {
  const stem = file.replace(/\.[^.]+$/, '')
  const exact = images.filter((i) => annotationFileStem(i.name) === stem)
  if (exact.length === 1) return exact[0]
  const byBase = images.filter((i) => path.basename(i.name).replace(/\.[^.]+$/, '') === stem)
  if (byBase.length === 1) return byBase[0]
  throw new Error(
    byBase.length > 1
      ? `${file}: several images are named like it (${byBase.map((i) => i.name).join(', ')}): name the image`
      : `${file}: no image in this project is named like it: is it the file of another project's image?`,
  )
}

/**
 * Reads QuPath GeoJSON (annotations and detections, as a FeatureCollection or a bare array; Polygon,
 * MultiPolygon, holes) into masks. Each feature's classification name is a mask class of the project (an
 * unknown name is refused, or added with `createClasses`). Pixels whose centre lies inside a feature take
 * its class; annotations are painted first and detections over them, each in file order; everything
 * else is background. Each image gets one new mask revision (kind import: the previous mask is one undo
 * away). All files are read and checked before anything is written: malformed JSON, a point outside the
 * image or a file of no image refuses the whole import, naming the file and field, and the project is
 * left as it was. Messages name a file by its own name, as the user sent it (an upload's staging folder
 * means nothing to them). Masks of slides are filled strip by strip into their tiles, never whole.
 */
export async function importGeoJson(
  project: Project,
  source: string,
  opts: GeoJsonImportOptions = {},
): Promise<GeoJsonImportSummary> {
  if (!fs.existsSync(source)) throw new Error(`${source} does not exist`)
  const files = fs.statSync(source).isDirectory() ? geoJsonFilesIn(source) : [source]
  if (files.length === 0) throw new Error(`${source} holds no .geojson files`)
  if (opts.image !== undefined && files.length > 1)
    throw new Error(`an image can be named for one file only; ${source} holds ${files.length}`)
  const images = listImages(project)
  const maskClasses = listMaskClasses(project)
  const valueOf = new Map(maskClasses.map((c) => [c.name, c.value]))
  const added: { name: string; color: string | null; value: number }[] = []
  let nextValue = (maskClasses.at(-1)?.value ?? 0) + 1
  const skipped: string[] = []
  const plans: { image: ImageSummary; shapes: RasterShape[] }[] = []
  const seen = new Map<number, string>()

  const total = files.length * 2
  let done = 0
  for (const filePath of files) {
    opts.signal?.throwIfAborted()
    const file = path.basename(filePath)
    let image: ImageSummary
    if (opts.image !== undefined) {
      const named = images.find((i) => i.name === opts.image)
      if (!named) throw new Error(`No image named "${opts.image}" in this project`)
      image = named
    } else image = imageForFile(file, images)
    if (seen.has(image.id))
      throw new Error(`${file} and ${seen.get(image.id)} are both for image ${image.name}`)
    seen.set(image.id, file)
    let read: ReturnType<typeof readQuPathGeoJson>
    try {
      read = readQuPathGeoJson(readRegularText(filePath, MAX_GEOJSON_BYTES, 'GeoJSON file'), image)
    } catch (e) {
      // The reader names the whole path; the message names the file as the user sent it.
      throw new Error(`${file} ${(e as Error).message.replace(`${filePath}: `, '')}`)
    }
    for (const s of read.skipped) skipped.push(`${file} ${s.where}: ${s.why}`)
    const ordered = [
      ...read.shapes.filter((s) => s.objectType === 'annotation' || s.objectType === 'unknown'),
      ...read.shapes.filter((s) => s.objectType !== 'annotation' && s.objectType !== 'unknown'),
    ]
    const shapes: RasterShape[] = []
    for (const s of ordered) {
      if (s.className === null) {
        if (opts.skipUnclassified) {
          skipped.push(`${file} ${s.where}: no classification`)
          continue
        }
        throw new Error(
          `${file} ${s.where} has no classification: classify it in QuPath, or leave such features out`,
        )
      }
      let value = valueOf.get(s.className)
      if (value === undefined) {
        if (!opts.createClasses)
          throw new Error(
            `${file} ${s.where}: class "${s.className}" is not a mask class of this project ` +
              `(${maskClasses.map((c) => c.name).join(', ') || 'none yet'}): add it, or let the import create it`,
          )
        if (nextValue > 255) throw new Error(`${file}: a project holds at most 255 mask classes`)
        value = nextValue++
        valueOf.set(s.className, value)
        added.push({ name: s.className, color: s.color, value })
      }
      shapes.push({ value, polygons: s.polygons })
    }
    plans.push({ image, shapes })
    opts.onProgress?.(++done, total, file)
  }

  // Everything is checked: write the masks' blobs (unreferenced until committed), then commit at once.
  const blobs: { image: ImageSummary; blob: string }[] = []
  for (const { image, shapes } of plans) {
    opts.signal?.throwIfAborted()
    if (usesTiledMask(image)) {
      const writer = new TiledMaskWriter(project, image.width, image.height)
      let strip = -1
      await rasterisePolygons(shapes, image, writer.tileSize, async (tile) => {
        if (tile.y !== strip && strip >= 0) await writer.flush()
        strip = tile.y
        await writer.write(tile)
      })
      blobs.push({ image, blob: await writer.finish() })
    } else {
      const data = new Uint8Array(image.width * image.height)
      await rasterisePolygons(shapes, image, Math.max(image.width, image.height, MASK_TILE), (t) => {
        for (let r = 0; r < t.height; r++)
          data.set(t.data.subarray(r * t.width, (r + 1) * t.width), (t.y + r) * image.width + t.x)
      })
      blobs.push({ image, blob: await putMask(project, { width: image.width, height: image.height, data }) })
    }
    opts.onProgress?.(++done, total, image.name)
  }
  opts.signal?.throwIfAborted()
  project.db
    .transaction(() => {
      for (const c of added) {
        const made = addMaskClass(project, c.name, c.color ?? undefined)
        if (made.value !== c.value)
          throw new Error(`Mask class ${c.name} got value ${made.value}, not ${c.value}`)
      }
      for (const { image, blob } of blobs) commitMaskRevision(project, image.id, blob, 'import')
    })
    .immediate()
  return {
    masks: blobs.length,
    features: plans.reduce((n, p) => n + p.shapes.length, 0),
    skipped,
    maskClassesAdded: added.map((c) => c.name),
  }
}
