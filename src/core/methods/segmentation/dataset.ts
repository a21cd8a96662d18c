import { createHash } from 'node:crypto'
import { modelInputPixels } from '../../data/modelInput'
import { usesTiles } from '../../data/trainingSamples'
import type { RawImage } from '../../data/rawImage'
import { readRgb } from '../../data/tileImage'
import { resizeNearest } from '../../data/trainingAugmentation'
import { listImages, listTiles, type TileRow } from '../../store/images'
import type { Project } from '../../store/project'
import { loadLabelFraction, loadSplit } from '../../store/splits'
import { openStoredMask, type StoredMask } from '../../data/tiledMask'
import type { ImageSummary } from '../../../shared/types'
import { normalizeRgb } from './normalizeRgb'
import type { SegmentationData, SegmentationSet } from './segmentationData'

/**
 * Loads a project's images (or their tiles) and masks for one run into a SegmentationData: the run's
 * split decides train/val/test, its label-fraction selection decides which training images keep their
 * masks. Every sample is an image, or a tile of one when the project tiled it (slides: 480-px tiles
 * with blank padding, as the paper does for Dermatomyositis), resized to the model's input size.
 * Masks are binarised (any class > 0 is foreground): the paper's segmentation is foreground vs background.
 */

export interface SegmentationLoadOptions {
  splitId: number
  labelFractionId: number | null
  /** Model input side (224 for the paper's models; 32–64 for quick runs). */
  size: number
  /** The paper's pre-processing for lesion (3-channel) datasets: R / (R + G + B). */
  redChannel: boolean
}

/** Where a sample came from, for stitching predictions back onto its image. */
export interface SampleSource {
  imageId: number
  tile: Pick<TileRow, 'x' | 'y' | 'width' | 'height' | 'tileSize' | 'blob'> | null
}

export interface ProjectSegmentationData extends SegmentationData {
  sources: Record<'labelled' | 'unlabelled' | 'val' | 'test', SampleSource[]>
}

/** 8-bit RGB at any size → normalised float NHWC at size × size. */
export function preprocessImage(raw: RawImage, size: number, redChannel: boolean): Float32Array {
  return normalizeRgb(modelInputPixels(raw, size, redChannel).data)
}

/** Class-index mask at any size → binary mask at size × size (nearest, so indices never blend). */
export function preprocessMask(mask: RawImage, size: number): Uint8Array {
  const m = mask.width !== size || mask.height !== size ? resizeNearest(mask, size, size) : mask
  return Uint8Array.from(m.data, (v) => (v > 0 ? 1 : 0))
}

async function readMask(project: Project, img: ImageSummary): Promise<StoredMask> {
  if (!img.maskBlob)
    throw new Error(`Image ${img.name} (id ${img.id}) is in the labelled set but has no mask`)
  const m = await openStoredMask(project, img.maskBlob)
  if (m.width !== img.width || m.height !== img.height) {
    throw new Error(
      `Mask of image ${img.name} is ${m.width}×${m.height}, the image ${img.width}×${img.height}`,
    )
  }
  return m
}

/** The mask under a tile (level-0 rectangle), padded with background to tileSize². */
async function maskUnder(mask: StoredMask, t: Pick<TileRow, 'x' | 'y' | 'width' | 'height' | 'tileSize'>) {
  const out: RawImage = {
    data: new Uint8Array(t.tileSize * t.tileSize),
    width: t.tileSize,
    height: t.tileSize,
    channels: 1,
  }
  const r = await mask.region(t.x, t.y, t.width, t.height)
  if (r)
    for (let y = 0; y < t.height; y++)
      out.data.set(r.subarray(y * t.width, (y + 1) * t.width), y * t.tileSize)
  return out
}

async function loadSet(
  project: Project,
  images: ImageSummary[],
  withMasks: boolean,
  opts: SegmentationLoadOptions,
): Promise<{ set: SegmentationSet; sources: SampleSource[] }> {
  const pixels: Uint8Array[] = []
  const masks: Uint8Array[] = []
  const sources: SampleSource[] = []
  const ids: number[] = []
  for (const img of images) {
    const tiled = usesTiles(img)
    const tiles = tiled ? listTiles(project, img.id) : []
    const mask = withMasks ? await readMask(project, img) : null
    if (!tiled) {
      const raw = await readRgb(project.blobs.get(img.blob))
      pixels.push(modelInputPixels(raw, opts.size, opts.redChannel).data)
      if (mask) {
        const all = (await mask.region(0, 0, img.width, img.height)) ?? new Uint8Array(img.width * img.height)
        masks.push(
          preprocessMask({ data: all, width: img.width, height: img.height, channels: 1 }, opts.size),
        )
      }
      sources.push({ imageId: img.id, tile: null })
      ids.push(img.id)
      continue
    }
    for (const t of tiles) {
      const raw = await readRgb(project.blobs.get(t.blob))
      pixels.push(modelInputPixels(raw, opts.size, opts.redChannel).data)
      if (mask) masks.push(preprocessMask(await maskUnder(mask, t), opts.size))
      sources.push({ imageId: img.id, tile: t })
      ids.push(img.id)
    }
  }
  const per = opts.size * opts.size
  const raw8 = new Uint8Array(pixels.length * per * 3)
  pixels.forEach((p, i) => raw8.set(p, i * per * 3))
  let maskData: Uint8Array | null = null
  if (withMasks) {
    maskData = new Uint8Array(masks.length * per)
    masks.forEach((m, i) => maskData!.set(m, i * per))
  }
  return { set: { ids, images: normalizeRgb(raw8), masks: maskData, raw: raw8 }, sources }
}

export async function loadSegmentationData(
  project: Project,
  opts: SegmentationLoadOptions,
): Promise<ProjectSegmentationData> {
  const split = loadSplit(project, opts.splitId)
  const labelledIds = new Set(
    opts.labelFractionId === null ? [] : loadLabelFraction(project, opts.labelFractionId).imageIds,
  )
  const all = listImages(project)
  const inSubset = (s: string) => all.filter((i) => split.assignments.get(i.id) === s)
  const train = inSubset('train')
  for (const id of labelledIds) {
    if (!train.some((i) => i.id === id)) throw new Error(`Labelled image ${id} is not in the training split`)
  }
  const labelled = await loadSet(
    project,
    train.filter((i) => labelledIds.has(i.id)),
    true,
    opts,
  )
  const unlabelled = await loadSet(
    project,
    train.filter((i) => !labelledIds.has(i.id)),
    false,
    opts,
  )
  const val = await loadSet(
    project,
    inSubset('val').filter((i) => i.hasMask),
    true,
    opts,
  )
  const test = await loadSet(
    project,
    inSubset('test').filter((i) => i.hasMask),
    true,
    opts,
  )
  const version = createHash('sha256')
    .update(
      JSON.stringify({
        split: [...split.assignments].sort((a, b) => a[0] - b[0]),
        labelled: [...labelledIds].sort((a, b) => a - b),
        masks: all.map((i) => i.maskBlob),
        size: opts.size,
        redChannel: opts.redChannel,
      }),
    )
    .digest('hex')
    .slice(0, 16)
  return {
    size: opts.size,
    classes: 2,
    labelled: labelled.set,
    unlabelled: unlabelled.set,
    val: val.set,
    test: test.set,
    datasetVersion: version,
    sources: {
      labelled: labelled.sources,
      unlabelled: unlabelled.sources,
      val: val.sources,
      test: test.sources,
    },
  }
}
