import { createHash } from 'node:crypto'
import { createBatchReader, DEFAULT_READER_CACHE_BYTES, SampleCache } from '../../data/batchReader'
import { modelInputMask, modelInputPixels } from '../../data/modelInput'
import type { RawImage } from '../../data/rawImage'
import { listTrainingSamples, type TrainingSample } from '../../data/trainingSamples'
import { listMaskClasses } from '../../store/maskClasses'
import type { Project } from '../../store/project'
import { splitImages } from '../../data/splitImages'
import type { ImageSummary } from '../../../shared/types'
import { normalizeRgb } from './normalizeRgb'
import type { SegmentationData, SegmentationSet } from './segmentationData'

/**
 * Loads a project's images (or their tiles) and masks for one run into a SegmentationData: the run's
 * split decides train/val/test, its label-fraction selection decides which training images keep their
 * masks. Every sample is an image, or a tile of one when the project tiled it (slides: 480-px tiles
 * with blank padding, as the paper does for Dermatomyositis), resized to the model's input size.
 * Masks keep their class values: one output per mask class plus background. A project with one mask class
 * (the paper's lesion datasets) is foreground vs background; one with tumour, stroma and necrosis has four.
 */

export interface SegmentationLoadOptions {
  splitId: number
  labelFractionId: number | null
  /** Model input side (224 for the paper's models; 32–64 for quick runs). */
  size: number
  /** The paper's pre-processing for lesion (3-channel) datasets: R / (R + G + B). */
  redChannel: boolean
  /** Decoded samples kept between epochs, in bytes (default DEFAULT_READER_CACHE_BYTES; 0 = none). */
  cacheBytes?: number
}

/** Where a sample came from, for stitching predictions back onto its image. */
export type SampleSource = Pick<TrainingSample, 'imageId' | 'tile'>

export interface ProjectSegmentationData extends SegmentationData {
  sources: Record<'labelled' | 'unlabelled' | 'val' | 'test', SampleSource[]>
}

/** 8-bit RGB at any size → normalised float NHWC at size × size. */
export function preprocessImage(raw: RawImage, size: number, redChannel: boolean): Float32Array {
  return normalizeRgb(modelInputPixels(raw, size, redChannel).data)
}

/** Class-index mask at any size → class-index mask at size × size (nearest, so indices never blend). */
export function preprocessMask(mask: RawImage, size: number): Uint8Array {
  return modelInputMask(mask, size)
}

/**
 * What a run segments: background and the project's mask classes, by pixel value (names[k] is value k).
 * A value no class holds (a gap left by the mask-class migration) keeps its place as `class k`; a project
 * without mask classes yet is binary.
 */
export function segmentationClassNames(project: Project): string[] {
  const defs = listMaskClasses(project)
  const top = Math.max(1, ...defs.map((d) => d.value))
  return [
    'background',
    ...Array.from(
      { length: top },
      (_, i) => defs.find((d) => d.value === i + 1)?.name ?? (top === 1 ? 'foreground' : `class ${i + 1}`),
    ),
  ]
}

/** The first pixel of `masks` (count samples of `per` pixels) whose class is not below `classes`, or null. */
function classOutOfRange(
  masks: Uint8Array,
  per: number,
  classes: number,
): { sample: number; value: number } | null {
  for (let i = 0; i < masks.length; i++)
    if (masks[i] >= classes) return { sample: Math.floor(i / per), value: masks[i] }
  return null
}

/**
 * One split as a set read from the blobs batch by batch: images normalised for the models, masks as class
 * indices below `classes`, the 8-bit pixels kept for augmentation. Only the sample list (no pixels) is held.
 */
function projectSet(
  project: Project,
  images: ImageSummary[],
  withMasks: boolean,
  opts: SegmentationLoadOptions & { classes: number },
  cache: SampleCache,
): { set: SegmentationSet; sources: SampleSource[] } {
  if (withMasks) {
    const missing = images.find((img) => !img.maskBlob)
    if (missing)
      throw new Error(`Image ${missing.name} (id ${missing.id}) is in the labelled set but has no mask`)
  }
  const samples = listTrainingSamples(project, images, { tiles: true })
  const reader = createBatchReader(project, samples, {
    size: opts.size,
    redChannel: opts.redChannel,
    masks: withMasks,
    cache,
  })
  return {
    set: {
      ids: samples.map((s) => s.imageId),
      hasMasks: withMasks,
      read: async (indices) => {
        const b = await reader.read(indices)
        const bad = b.masks && classOutOfRange(b.masks, opts.size * opts.size, opts.classes)
        if (bad) {
          const image = images.find((i) => i.id === samples[indices[bad.sample]].imageId)
          throw new Error(
            `The mask of image ${image?.name ?? samples[indices[bad.sample]].imageId} holds value ${bad.value}, ` +
              `but the project's mask classes end at ${opts.classes - 1}: add the class or repaint the mask`,
          )
        }
        return { count: indices.length, images: normalizeRgb(b.pixels), masks: b.masks, raw: b.pixels }
      },
    },
    sources: samples.map((s) => ({ imageId: s.imageId, tile: s.tile })),
  }
}

export async function loadSegmentationData(
  project: Project,
  opts: SegmentationLoadOptions,
): Promise<ProjectSegmentationData> {
  const { split, all, inSubset, train, labelledIds } = splitImages(
    project,
    opts.splitId,
    opts.labelFractionId,
  )
  // One decoded-sample budget for the run: small projects are decoded once, large ones stay bounded.
  const cache = new SampleCache(opts.cacheBytes ?? DEFAULT_READER_CACHE_BYTES)
  const classNames = segmentationClassNames(project)
  const classes = classNames.length
  const set = (images: ImageSummary[], withMasks: boolean) =>
    projectSet(project, images, withMasks, { ...opts, classes }, cache)
  const labelled = set(
    train.filter((i) => labelledIds.has(i.id)),
    true,
  )
  const unlabelled = set(
    train.filter((i) => !labelledIds.has(i.id)),
    false,
  )
  const val = set(
    inSubset('val').filter((i) => i.hasMask),
    true,
  )
  const test = set(
    inSubset('test').filter((i) => i.hasMask),
    true,
  )
  const version = createHash('sha256')
    .update(
      JSON.stringify({
        split: [...split.assignments].sort((a, b) => a[0] - b[0]),
        labelled: [...labelledIds].sort((a, b) => a - b),
        masks: all.map((i) => i.maskBlob),
        size: opts.size,
        redChannel: opts.redChannel,
        // Binary projects keep the fingerprint they had before mask classes were trained apart.
        ...(classes > 2 ? { classes: classNames } : {}),
      }),
    )
    .digest('hex')
    .slice(0, 16)
  return {
    size: opts.size,
    classes,
    classNames,
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
