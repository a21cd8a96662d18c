import { listTiles, type TileRow } from '../store/images'
import type { Project } from '../store/project'
import type { ImageSummary } from '../../shared/types'
import { slideTilesInUse } from './slideTissue'

/**
 * What a training run reads, one row per sample, without pixels: an image, or a tile of one when the
 * project tiled it (slides: 480-px tiles with blank padding, as the paper does for Dermatomyositis).
 * A list of these is small (a few hundred bytes a sample), so a run can hold the whole dataset's list
 * and read the pixels batch by batch (see `createBatchReader`).
 */
export interface TrainingSample {
  imageId: number
  /** The image's name, for error messages. */
  name: string
  /** Blob of the pixels to read: the image itself, or the tile. */
  blob: string
  /** Where a tile lies in its image (level-0 pixels); null for a whole image. */
  tile: Pick<TileRow, 'x' | 'y' | 'width' | 'height' | 'tileSize' | 'blob'> | null
  /** The whole image's size, which its mask has too. */
  imageWidth: number
  imageHeight: number
  /** Head revision of the image's mask (class indices), if any. */
  maskBlob: string | null
  /** The image's labels (class ids; diagnoses), empty when it has none. */
  labels: number[]
}

/** Above this an image is a whole slide: never decoded whole for training or prediction. */
export const WHOLE_IMAGE_PIXELS = 40_000_000

/**
 * Only slides cut into several tiles are trained tile by tile. An image with a single tile is either a
 * lesion resized to one tile at import or a small image padded into one; both are the whole image, which
 * is read whole (with its current, possibly edited, mask) and resized to the model's input.
 */
export function usesTiles(img: Pick<ImageSummary, 'tileCount' | 'width' | 'height'>): boolean {
  // Whole slides are always read by their tiles, even when tissue detection kept one or none of them.
  return img.tileCount > 1 || img.width * img.height > WHOLE_IMAGE_PIXELS
}

/**
 * The samples of `images`, in order. `tiles: true` (segmentation) expands tiled images into their tiles;
 * `tiles: false` (whole-image classification) gives one sample per image and refuses whole slides, which
 * cannot be decoded whole.
 */
export function listTrainingSamples(
  project: Project,
  images: ImageSummary[],
  opts: { tiles: boolean } = { tiles: true },
): TrainingSample[] {
  const out: TrainingSample[] = []
  const tilesOf = opts.tiles ? groupTiles(listTiles(project)) : new Map<number, TileRow[]>()
  for (const img of images) {
    const common = {
      imageId: img.id,
      name: img.name,
      imageWidth: img.width,
      imageHeight: img.height,
      maskBlob: img.maskBlob,
      labels: img.labels,
    }
    if (!usesTiles(img)) {
      out.push({ ...common, blob: img.blob, tile: null })
      continue
    }
    if (!opts.tiles) {
      throw new Error(
        `Image ${img.name} (id ${img.id}) is stored as ${img.tileCount} tiles (${img.width}×${img.height}): ` +
          'it is read tile by tile, never whole',
      )
    }
    for (const t of slideTilesInUse(project, img, tilesOf.get(img.id) ?? []).tiles) {
      const { x, y, width, height, tileSize, blob } = t
      out.push({ ...common, blob, tile: { x, y, width, height, tileSize, blob } })
    }
  }
  return out
}

function groupTiles(tiles: TileRow[]): Map<number, TileRow[]> {
  const by = new Map<number, TileRow[]>()
  for (const t of tiles) {
    const list = by.get(t.imageId)
    if (list) list.push(t)
    else by.set(t.imageId, [t])
  }
  return by
}
