import { openStoredMask, type StoredMask } from './tiledMask'
import type { Project } from '../store/project'
import { modelInputMask, modelInputPixels } from './modelInput'
import { prefetched } from './prefetch'
import { LruCache } from './lruCache'
import type { RawImage } from './rawImage'
import { readRgb } from './tileImage'
import type { TrainingSample } from './trainingSamples'

/**
 * Reads training samples from a project's blobs batch by batch, so a run's memory is bounded by its batch
 * size (plus a fixed cache), not by its dataset: a 2,000-image set at 224 px is 300 MB of pixels as one
 * array, and one array past ~125 M elements aborts V8.
 *
 *   const samples = listTrainingSamples(project, images, { tiles: false })   // whole images + labels
 *   const reader = createBatchReader(project, samples, { size: 224 })
 *   for await (const b of reader.batches(plan)) { ... b.pixels, b.labels ... }  // plan: number[][]
 *
 * A batch holds 8-bit RGB (NHWC, after the optional red-channel normalisation and the resize to
 * size × size), the masks' class indices at the same size when asked for, and each sample's image labels.
 * Normalising and augmenting are the method's business.
 */

export interface BatchReaderOptions {
  /** Side of every sample, in pixels (images and masks are resized to size × size). */
  size: number
  /** The paper's red-channel normalisation (Thanh et al. 2019) for RGB lesion datasets. */
  redChannel?: boolean
  /** Read each sample's mask too; a sample without one is an error naming its image. */
  masks?: boolean
  /**
   * Decoded samples are kept up to this many bytes (least recently used dropped first), so small datasets
   * are decoded once and large ones stay bounded. 0 turns the cache off.
   */
  cacheBytes?: number
  /** A cache shared with other readers (a run's splits share one budget); overrides `cacheBytes`. */
  cache?: SampleCache
}

export interface SampleBatch {
  /** The sample indices this batch holds, in order. */
  indices: number[]
  size: number
  /** count × size × size × 3, 8-bit RGB, NHWC. */
  pixels: Uint8Array
  /** count × size × size class indices (0 = background); null unless the reader reads masks. */
  masks: Uint8Array | null
  /** Each sample's image labels (class ids). */
  labels: number[][]
  /** Each sample's image id. */
  imageIds: number[]
}

export interface BatchReader {
  readonly samples: readonly TrainingSample[]
  readonly size: number
  /** One batch of the given sample indices (repeats allowed). */
  read(indices: number[]): Promise<SampleBatch>
  /** The batches of `plan` in order, `prefetch` of them read ahead (default 2). */
  batches(plan: Iterable<number[]>, prefetch?: number): AsyncGenerator<SampleBatch>
}

/** Enough for a few hundred 224-px samples: small projects are decoded once per run. */
export const DEFAULT_READER_CACHE_BYTES = 128 * 1024 * 1024

interface DecodedSample {
  pixels: Uint8Array
  mask: Uint8Array | null
}

/** Decoded samples up to a byte budget, least recently used dropped first. */
export class SampleCache {
  private readonly entries = new Map<string, DecodedSample>()
  private bytes = 0
  constructor(readonly limit: number) {}

  get(key: string): DecodedSample | undefined {
    const hit = this.entries.get(key)
    if (hit) {
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }

  set(key: string, d: DecodedSample): void {
    const size = sizeOf(d)
    if (size > this.limit || this.entries.has(key)) return
    this.entries.set(key, d)
    this.bytes += size
    for (const [old, e] of this.entries) {
      if (this.bytes <= this.limit) break
      this.entries.delete(old)
      this.bytes -= sizeOf(e)
    }
  }
}

const sizeOf = (d: DecodedSample) => d.pixels.byteLength + (d.mask?.byteLength ?? 0)

export function createBatchReader(
  project: Project,
  samples: readonly TrainingSample[],
  opts: BatchReaderOptions,
): BatchReader {
  const { size } = opts
  if (!(Number.isInteger(size) && size > 0))
    throw new Error(`Sample size must be a positive integer, got ${size}`)
  const redChannel = opts.redChannel ?? false
  const withMasks = opts.masks ?? false
  const cache = opts.cache ?? new SampleCache(opts.cacheBytes ?? DEFAULT_READER_CACHE_BYTES)
  // What a decoded sample depends on: its pixels, its mask (and where under it a tile lies), the size.
  const keyOf = (s: TrainingSample) =>
    `${s.blob}|${withMasks ? `${s.maskBlob}@${s.tile ? `${s.tile.x},${s.tile.y}` : ''}` : ''}|${size}|${redChannel}`
  // The last masks opened: the tiles of one slide share a mask, which should not be decoded per tile.
  const openMasks = new LruCache<Promise<StoredMask>>(2)

  const openMask = (blob: string): Promise<StoredMask> => {
    let m = openMasks.get(blob)
    if (!m) {
      m = openStoredMask(project, blob)
      openMasks.set(blob, m)
    }
    return m
  }

  const decode = async (s: TrainingSample): Promise<DecodedSample> => {
    const raw = await readRgb(project.blobs.get(s.blob))
    const pixels = modelInputPixels(raw, size, redChannel).data
    if (!withMasks) return { pixels, mask: null }
    if (!s.maskBlob) throw new Error('it has no mask')
    const stored = await openMask(s.maskBlob)
    if (stored.width !== s.imageWidth || stored.height !== s.imageHeight) {
      throw new Error(
        `its mask is ${stored.width}×${stored.height}, the image ${s.imageWidth}×${s.imageHeight}`,
      )
    }
    return { pixels, mask: modelInputMask(await maskOf(stored, s), size) }
  }

  const sample = async (i: number): Promise<DecodedSample> => {
    const s = samples[i]
    if (!s) throw new Error(`No sample ${i} (the reader holds ${samples.length})`)
    const key = keyOf(s)
    const hit = cache.get(key)
    if (hit) return hit
    let d: DecodedSample
    try {
      d = await decode(s)
    } catch (e) {
      const where = s.tile ? `tile at ${s.tile.x},${s.tile.y} of image` : 'image'
      throw new Error(`Cannot read ${where} ${s.name} (id ${s.imageId}): ${(e as Error).message}`, {
        cause: e,
      })
    }
    cache.set(key, d)
    return d
  }

  const read = async (indices: number[]): Promise<SampleBatch> => {
    const per = size * size
    const decoded = await Promise.all(indices.map(sample))
    const pixels = new Uint8Array(indices.length * per * 3)
    const masks = withMasks ? new Uint8Array(indices.length * per) : null
    decoded.forEach((d, k) => {
      pixels.set(d.pixels, k * per * 3)
      if (masks) masks.set(d.mask!, k * per)
    })
    return {
      indices: [...indices],
      size,
      pixels,
      masks,
      labels: indices.map((i) => [...samples[i].labels]),
      imageIds: indices.map((i) => samples[i].imageId),
    }
  }

  return {
    samples,
    size,
    read,
    batches: (plan, prefetch = 2) => prefetched(plan, read, prefetch),
  }
}

/** The sample's mask at its own size: the whole image's, or the part under a tile padded with background. */
async function maskOf(mask: StoredMask, s: TrainingSample): Promise<RawImage> {
  if (!s.tile) {
    const all =
      (await mask.region(0, 0, s.imageWidth, s.imageHeight)) ?? new Uint8Array(s.imageWidth * s.imageHeight)
    return { data: all, width: s.imageWidth, height: s.imageHeight, channels: 1 }
  }
  const t = s.tile
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
