import fs from 'node:fs'
import sharp, { type Metadata } from 'sharp'
import { SlideFormatError } from '../slide/slideReader'
import { tileDownsample, type TileScale } from '../slide/tileScale'
import { putBlobFile } from '../store/blobFile'
import { imageIdByBlob } from '../store/images'
import type { Project } from '../store/project'
import type { SlideInfo } from '../store/slideInfo'
import { abortable } from './abortable'
import { flatImageInput, pixelLimitProblem } from './flatImageLimit'
import { ImportCancelled, type ImportProblem } from './importError'
import { importedMask } from './importedMask'
import type { MaskClassMapping } from './importMaskClasses'
import type { ImportPlan, PlannedImage } from './importPlan'
import { libvipsMessage } from './libvipsMessage'
import type { RawImage } from './rawImage'
import { resizeImageFile, resizeMaskNearest } from './importResize'
import { readsAsSlide, slideMetadata, slideTiles, type SlideImportMetadata } from './slideTiles'
import { slideTissueRecord } from './slideTissue'
import { encodePng, tileImage, type TilePosition } from './tileImage'

/** One image ready to be written: its blobs stored, its tiles cut, its mask decoded; no row yet. */
export interface PreparedImage {
  item: PlannedImage
  blob: string
  width: number
  height: number
  channels: number
  format: string
  maskBlob: string | null
  tiles: (TilePosition & { tileSize: number; blob: string; maskBlob: string | null })[]
  slide: SlideInfo | null
}

const SUPPORTED_FORMATS = new Set(['png', 'jpeg', 'tiff'])
/** Files above this are streamed into the blob store rather than read whole. */
const STREAM_ABOVE_BYTES = 64 << 20

/** What preparing an image needs from its import. */
interface PrepareContext {
  project: Project
  preprocess: ImportPlan['preprocess']
  tileSize: number
  tileScale?: TileScale
  labelMode: string
  masks: MaskClassMapping
  signal?: AbortSignal
  /** Stores bytes as a blob, remembering it as this import's when new. */
  putBlob(data: Uint8Array): string
  /** The blobs this import created (removed again if it fails). */
  created: Set<string>
  /** Content already seen in this import: blob → the file name that brought it. */
  seen: Map<string, string>
}

/**
 * Validates and preprocesses one planned image: reads it (streaming big files into the blob store),
 * refuses duplicates and unsupported formats, decodes its mask, cuts its tiles (whole slides region by
 * region at the chosen magnification, never decoded whole) and records tissue detection for scans. A
 * problem names the file; a cancel ends the whole import.
 */
export async function prepareImage(
  ctx: PrepareContext,
  item: PlannedImage,
): Promise<PreparedImage | ImportProblem> {
  const { signal, tileSize, putBlob } = ctx
  const fail = (file: string, problem: string): ImportProblem => {
    // A cancel is not a problem of this file: it ends the whole import.
    if (signal?.aborted) throw new ImportCancelled()
    return { file, problem }
  }
  if (item.labels && ctx.labelMode === 'multi-class' && item.labels.length !== 1) {
    return fail(item.name, `needs exactly one class in a multi-class project, has ${item.labels.length}`)
  }
  let blob: string
  try {
    const size = fs.statSync(item.file).size
    if (size > STREAM_ABOVE_BYTES) {
      const r = await putBlobFile(ctx.project.blobs, item.file, signal)
      if (r.created) ctx.created.add(r.hash)
      blob = r.hash
    } else blob = putBlob(fs.readFileSync(item.file))
  } catch (e) {
    return fail(item.name, `cannot be read: ${libvipsMessage(e)}`)
  }
  const twin = ctx.seen.get(blob)
  if (twin !== undefined) return fail(item.name, `duplicate image: same content as ${twin}`)
  ctx.seen.set(blob, item.name)
  if (imageIdByBlob(ctx.project, blob) !== undefined)
    return fail(item.name, 'duplicate image: already in this project')
  let meta: Pick<Metadata, 'format' | 'width' | 'height' | 'channels'>
  const asSlide = readsAsSlide(item.file)
  let slideMeta: SlideImportMetadata | null = null
  try {
    // Whole-slide formats and TIFF pyramids are read region by region, never decoded whole.
    slideMeta = asSlide ? await slideMetadata(item.file) : null
    meta = slideMeta
      ? (slideMeta as Pick<Metadata, 'format' | 'width' | 'height' | 'channels'>)
      : await abortable(sharp(item.file, flatImageInput).metadata(), signal)
  } catch (e) {
    return fail(
      item.name,
      e instanceof SlideFormatError
        ? e.problem
        : (pixelLimitProblem(e) ?? `is not a readable image: ${libvipsMessage(e)}`),
    )
  }
  if (!asSlide && (!meta.format || !SUPPORTED_FORMATS.has(meta.format))) {
    return fail(item.name, `is ${meta.format ?? 'an unknown format'}; only PNG, JPEG and TIFF are imported`)
  }
  const width = meta.width
  const height = meta.height
  let downsample = 1
  try {
    if (slideMeta) downsample = tileDownsample(slideMeta.properties, tileSize, ctx.tileScale)
  } catch (e) {
    return fail(item.name, (e as Error).message)
  }
  const span = Math.round(tileSize * downsample)

  let mask: RawImage | null = null
  if (item.maskFile) {
    const m = await importedMask({ ...item, maskFile: item.maskFile }, width, height, ctx.masks, signal)
    if ('problem' in m) return fail(m.file, m.problem)
    mask = m
  }

  const tiles: PreparedImage['tiles'] = []
  try {
    if (ctx.preprocess === 'resize') {
      const png = await abortable(resizeImageFile(item.file, tileSize), signal)
      const maskPng = mask
        ? await abortable(
            resizeMaskNearest(mask, tileSize).then((m) => encodePng(m)),
            signal,
          )
        : null
      tiles.push({
        x: 0,
        y: 0,
        width,
        height,
        tileSize,
        blob: putBlob(png),
        maskBlob: maskPng ? putBlob(maskPng) : null,
      })
    } else {
      const maskTiles = mask ? tileImage(mask, span, undefined, signal) : null
      const source = asSlide
        ? slideTiles(item.file, tileSize, { downsample, signal })
        : tileImage(item.file, tileSize, undefined, signal)
      for await (const t of source) {
        const m = maskTiles ? (await maskTiles.next()).value : undefined
        tiles.push({
          x: t.x,
          y: t.y,
          width: t.width,
          height: t.height,
          tileSize: t.tileSize,
          blob: putBlob(t.png),
          maskBlob: m ? putBlob(m.png) : null,
        })
      }
    }
  } catch (e) {
    return fail(item.name, `cannot be decoded (corrupt or truncated?): ${libvipsMessage(e)}`)
  }
  const maskBlob = mask ? putBlob(await abortable(encodePng(mask), signal)) : null
  // Whole-slide scans (a pyramid, or a scanner's pixel size) get tissue detection; a plain TIFF photo
  // (dermoscopy, say) is not glass and tissue, and keeps every tile.
  const scan = slideMeta && (slideMeta.levels > 1 || slideMeta.properties.mppX !== null)
  let tissue: SlideInfo['tissue'] = null
  try {
    if (scan && ctx.preprocess !== 'resize')
      tissue = await slideTissueRecord(item.file, { width, height }, tiles, putBlob)
  } catch (e) {
    return fail(item.name, `tissue detection failed: ${libvipsMessage(e)}`)
  }
  const slide: SlideInfo | null = slideMeta && {
    formatName: slideMeta.formatName,
    mppX: slideMeta.properties.mppX,
    mppY: slideMeta.properties.mppY,
    magnification: slideMeta.properties.magnification,
    scanner: slideMeta.properties.scanner,
    tileDownsample: downsample,
    tissue,
  }
  return {
    slide,
    item,
    blob,
    width,
    height,
    channels: meta.channels ?? 3,
    format: String(meta.format),
    maskBlob,
    tiles,
  }
}
