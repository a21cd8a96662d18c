import fs from 'node:fs'
import sharp, { type Metadata } from 'sharp'
import type { Subset } from '../../shared/types'
import { putBlobFile } from '../store/blobFile'
import { removeUnreferencedBlobs } from '../store/blobGarbage'
import { addClass, classByName, listClasses } from '../store/classes'
import { countImages, imageIdByBlob, insertImage, insertTile } from '../store/images'
import { setImageLabels } from '../store/labels'
import { commitMaskRevision } from '../store/masks'
import { addMaskClass, largestMaskValue, linkLabelToMaskClass, listMaskClasses } from '../store/maskClasses'
import { getMeta, setMeta, type Project } from '../store/project'
import { saveSplit } from '../store/splits'
import { BlobStore } from '../store/blobStore'
import { ImportCancelled, ImportError, type ImportProblem } from './importError'
import type { ImportPlan, PlannedImage } from './importPlan'
import { maskToClassIndices } from './maskToClassIndices'
import { officialSplit } from '../store/officialSplit'
import type { RawImage } from './rawImage'
import { resizeImageFile, resizeMaskNearest } from './resizeBilinear'
import { encodePng, TILE_SIZE, tileImage, type TilePosition } from './tileImage'
import { SlideFormatError } from '../slide/slideReader'
import { readsAsSlide, slideMetadata, slideTiles, type SlideImportMetadata } from './slideTiles'
import { slideTissueRecord } from './slideTissue'
import { tileDownsample, type TileScale } from '../slide/tileScale'
import { saveSlideInfo, type SlideInfo } from '../store/slideInfo'
import { flatImageInput, pixelLimitProblem } from './flatImageLimit'
import { abortable } from './abortable'

export interface ImportOptions {
  onProgress?(done: number, total: number, file: string): void
  signal?: AbortSignal
  tileSize?: number
  /** Whole slides: cut tiles at this magnification or tile width in microns instead of the scan's pixels. */
  tileScale?: TileScale
  /** Images prepared at once (decoding and PNG encoding run on libvips threads). */
  concurrency?: number
}

export interface ImportSummary {
  images: number
  tiles: number
  masks: number
  labelled: number
  classesAdded: string[]
  /** Mask classes this import added (e.g. `lesion`). */
  maskClassesAdded: string[]
  /** Id of the saved official split, when the dataset ships one (ISIC-2017). */
  officialSplitId: number | null
  imageIds: number[]
}

interface PreparedImage {
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

/**
 * How this import's mask values become the project's: the plan's mask classes are matched by name to the
 * project's (a new name becomes the next value), so `lesion` is the same pixel value in every import.
 */
interface MaskClassMapping {
  /** Names of the plan's values 1, 2, …; its masks may hold 0..names.length. */
  names: string[]
  /** The mask classes to add, in value order from `firstNewValue`. */
  added: string[]
  firstNewValue: number
  /** Plan value → project value; null when they are the same. */
  remap: Uint8Array | null
}

function maskClassMapping(project: Project, plan: ImportPlan): MaskClassMapping {
  const existing = listMaskClasses(project)
  const names = plan.maskClasses ?? (existing.length > 0 ? existing.map((m) => m.name) : ['foreground'])
  const hasMasks = plan.items.some((i) => i.maskFile)
  const firstNewValue = largestMaskValue(project) + 1
  const value = new Map(existing.map((m) => [m.name, m.value]))
  const added = hasMasks ? names.filter((n) => !value.has(n)) : []
  added.forEach((n, i) => value.set(n, firstNewValue + i))
  if (firstNewValue - 1 + added.length > 255)
    throw new ImportError([{ file: 'mask classes', problem: 'a project holds at most 255 mask classes' }])
  const remap = new Uint8Array(256)
  names.forEach((n, i) => (remap[i + 1] = value.get(n) ?? 0))
  const identity = names.every((n, i) => value.get(n) === i + 1)
  return { names, added, firstNewValue, remap: identity ? null : remap }
}

const CLASS_COLOURS = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#fabebe',
  '#008080',
]
const SUPPORTED_FORMATS = new Set(['png', 'jpeg', 'tiff'])
/** Files above this are streamed into the blob store rather than read whole. */
const STREAM_ABOVE_BYTES = 64 << 20

/** libvips repeats its complaints; one line of each is enough for a per-file report. */
function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e)
  const lines = [
    ...new Set(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ]
  const out = lines.join('; ')
  return out.length > 300 ? `${out.slice(0, 300)}…` : out
}

/**
 * Carries out an import plan: validates and preprocesses every image first (writing content-addressed
 * blobs as it goes), then writes all rows in one transaction. Any problem, or a cancel, removes the
 * blobs this import created and leaves the project exactly as it was.
 */
export async function runImport(
  project: Project,
  plan: ImportPlan,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const tileSize = options.tileSize ?? TILE_SIZE
  const created = new Set<string>()
  const problems: ImportProblem[] = [...plan.problems]
  const putBlob = (data: Uint8Array): string => {
    const hash = BlobStore.hash(data)
    if (!project.blobs.has(hash)) created.add(hash)
    return project.blobs.put(data)
  }
  try {
    if (problems.length > 0) throw new ImportError(problems)
    const existingClasses = listClasses(project).map((c) => c.name)
    const masks = maskClassMapping(project, plan)
    const projectIsEmpty = existingClasses.length === 0 && countImages(project) === 0
    const labelMode = projectIsEmpty ? plan.labelMode : (getMeta(project, 'labelMode') ?? 'multi-class')

    const prepared: (PreparedImage | null)[] = new Array(plan.items.length).fill(null)
    const seen = new Map<string, string>()
    let next = 0
    let done = 0
    // Kept per item so the report lists problems in file order, whatever order the workers finish in.
    const itemProblems: ImportProblem[][] = plan.items.map(() => [])
    const signal = options.signal
    const prepareOne = async (item: PlannedImage, index: number): Promise<PreparedImage | null> => {
      const fail = (file: string, problem: string) => {
        // A cancel is not a problem of this file: it ends the whole import.
        if (signal?.aborted) throw new ImportCancelled()
        itemProblems[index].push({ file, problem })
        return null
      }
      if (item.labels && labelMode === 'multi-class' && item.labels.length !== 1) {
        return fail(item.name, `needs exactly one class in a multi-class project, has ${item.labels.length}`)
      }
      let blob: string
      try {
        const size = fs.statSync(item.file).size
        if (size > STREAM_ABOVE_BYTES) {
          const r = await putBlobFile(project.blobs, item.file, signal)
          if (r.created) created.add(r.hash)
          blob = r.hash
        } else blob = putBlob(fs.readFileSync(item.file))
      } catch (e) {
        return fail(item.name, `cannot be read: ${message(e)}`)
      }
      const twin = seen.get(blob)
      if (twin !== undefined) return fail(item.name, `duplicate image: same content as ${twin}`)
      seen.set(blob, item.name)
      if (imageIdByBlob(project, blob) !== undefined)
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
            : (pixelLimitProblem(e) ?? `is not a readable image: ${message(e)}`),
        )
      }
      if (!asSlide && (!meta.format || !SUPPORTED_FORMATS.has(meta.format))) {
        return fail(
          item.name,
          `is ${meta.format ?? 'an unknown format'}; only PNG, JPEG and TIFF are imported`,
        )
      }
      const width = meta.width
      const height = meta.height
      let downsample = 1
      try {
        if (slideMeta) downsample = tileDownsample(slideMeta.properties, tileSize, options.tileScale)
      } catch (e) {
        return fail(item.name, (e as Error).message)
      }
      const span = Math.round(tileSize * downsample)

      let mask: RawImage | null = null
      if (item.maskFile) {
        const maskName = item.maskName ?? item.maskFile
        try {
          // Grey masks are read as one channel (sharp would expand them to RGB); colour ones stay
          // RGB so that maskToClassIndices can refuse them.
          const maskMeta = await abortable(sharp(item.maskFile, flatImageInput).metadata(), signal)
          const grey = (maskMeta.channels ?? 3) <= 2
          const decoder = sharp(item.maskFile, { ...flatImageInput, failOn: 'warning' })
          const { data, info } = await abortable(
            (grey ? decoder.extractChannel(0) : decoder)
              .raw({ depth: 'uchar' })
              .toBuffer({ resolveWithObject: true }),
            signal,
          )
          if (info.width !== width || info.height !== height) {
            return fail(
              maskName,
              `mask is ${info.width} × ${info.height} but its image ${item.name} is ${width} × ${height}`,
            )
          }
          const r = maskToClassIndices(
            { data, width: info.width, height: info.height, channels: info.channels },
            masks.names.length,
          )
          if ('problem' in r) return fail(maskName, r.problem)
          mask = r.mask
          if (masks.remap) for (let i = 0; i < mask.data.length; i++) mask.data[i] = masks.remap[mask.data[i]]
        } catch (e) {
          const limit = pixelLimitProblem(e)
          return fail(maskName, limit ? `mask ${limit}` : `mask cannot be decoded: ${message(e)}`)
        }
      }

      const tiles: PreparedImage['tiles'] = []
      try {
        if (plan.preprocess === 'resize') {
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
        return fail(item.name, `cannot be decoded (corrupt or truncated?): ${message(e)}`)
      }
      const maskBlob = mask ? putBlob(await abortable(encodePng(mask), signal)) : null
      // Whole-slide scans (a pyramid, or a scanner's pixel size) get tissue detection; a plain TIFF photo
      // (dermoscopy, say) is not glass and tissue, and keeps every tile.
      const scan = slideMeta && (slideMeta.levels > 1 || slideMeta.properties.mppX !== null)
      let tissue: SlideInfo['tissue'] = null
      try {
        if (scan && plan.preprocess !== 'resize')
          tissue = await slideTissueRecord(item.file, { width, height }, tiles, putBlob)
      } catch (e) {
        return fail(item.name, `tissue detection failed: ${message(e)}`)
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

    const worker = async () => {
      while (next < plan.items.length) {
        if (signal?.aborted) return
        const i = next++
        const item = plan.items[i]
        prepared[i] = await prepareOne(item, i)
        done++
        options.onProgress?.(done, plan.items.length, item.name)
      }
    }
    const workers = Math.max(1, Math.min(options.concurrency ?? 2, plan.items.length))
    // Every worker settles before anything is cleaned up, so none writes a blob after the cleanup.
    const settled = await Promise.allSettled(Array.from({ length: workers }, worker))
    if (signal?.aborted) throw new ImportCancelled()
    for (const r of settled) if (r.status === 'rejected') throw r.reason
    problems.push(...itemProblems.flat())
    if (problems.length > 0) throw new ImportError(problems)

    const summary: ImportSummary = {
      images: 0,
      tiles: 0,
      masks: 0,
      labelled: 0,
      classesAdded: [],
      maskClassesAdded: [],
      officialSplitId: null,
      imageIds: [],
    }
    project.db.transaction(() => {
      if (projectIsEmpty) setMeta(project, 'labelMode', plan.labelMode)
      const classIds = new Map<string, number>()
      for (const name of plan.classes) {
        const existing = classByName(project, name)
        if (existing) classIds.set(name, existing.id)
        else {
          const n = listClasses(project).length
          classIds.set(name, addClass(project, name, CLASS_COLOURS[n % CLASS_COLOURS.length]))
          summary.classesAdded.push(name)
        }
      }
      // Mask values were remapped for these values while preparing: refuse if another change took them.
      if (largestMaskValue(project) + 1 !== masks.firstNewValue)
        throw new Error('The mask classes changed while importing: run the import again')
      for (const name of masks.added) {
        addMaskClass(project, name)
        summary.maskClassesAdded.push(name)
      }
      const maskClassId = new Map(listMaskClasses(project).map((m) => [m.name, m.id]))
      for (const [label, maskName] of Object.entries(plan.labelMaskClasses ?? {})) {
        const cls = classByName(project, label)
        const target = maskClassId.get(maskName)
        if (cls && target !== undefined && (cls.maskClassId ?? null) === null)
          linkLabelToMaskClass(project, cls.id, target)
      }
      let anyOfficial = false
      for (const p of prepared as PreparedImage[]) {
        const id = insertImage(project, {
          blob: p.blob,
          name: p.item.name,
          width: p.width,
          height: p.height,
          channels: p.channels,
          format: p.format,
          sourcePath: p.item.file,
          officialSplit: (p.item.officialSplit ?? null) as Subset | null,
        })
        anyOfficial ||= Boolean(p.item.officialSplit)
        summary.imageIds.push(id)
        if (p.slide) saveSlideInfo(project, id, p.slide)
        for (const t of p.tiles) insertTile(project, { imageId: id, ...t })
        summary.tiles += p.tiles.length
        if (p.maskBlob) {
          commitMaskRevision(project, id, p.maskBlob, 'import')
          summary.masks++
        }
        if (p.item.labels) {
          setImageLabels(
            project,
            id,
            p.item.labels.map((n) => classIds.get(n) as number),
          )
          summary.labelled++
        }
      }
      summary.images = prepared.length
      if (anyOfficial) {
        summary.officialSplitId = saveSplit(project, {
          name: 'official',
          kind: 'official',
          seed: null,
          assignments: officialSplit(project),
        })
      }
    })()
    return summary
  } catch (e) {
    removeUnreferencedBlobs(project, created)
    throw e
  }
}
