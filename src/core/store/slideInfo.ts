import type { Project } from './project'

/** What the project keeps about a whole-slide image beside its pixels. */
export interface SlideInfo {
  formatName: string
  mppX: number | null
  mppY: number | null
  /** The scan's objective magnification as the file states it. */
  magnification: number | null
  scanner: string | null
  /** Level-0 pixels per training-tile pixel (2 when a 40× scan is tiled at 20×). */
  tileDownsample: number
  tissue: TissueRecord | null
}

/** The tissue detection that decides which tiles training and prediction use (data/slideTissue.ts). */
export interface TissueRecord {
  /** Binary PGM (P5), 255 where tissue, at `downsample` level-0 pixels per pixel. */
  maskBlob: string
  downsample: number
  /** Otsu threshold on HSV saturation (0–255): more saturated is tissue (slide/tissueDetection.ts). */
  threshold: number
  tilesKept: number
  tilesSkipped: number
}

/** The table's row: the info with its tissue record's columns beside it, all null when there is none. */
type Row = Omit<SlideInfo, 'tissue'> & { [K in keyof TissueRecord]: TissueRecord[K] | null }

export function saveSlideInfo(project: Project, imageId: number, info: SlideInfo): void {
  project.db
    .prepare(
      `INSERT INTO slide_info (image_id, format_name, mpp_x, mpp_y, magnification, scanner, tile_downsample,
         tissue_mask_blob, tissue_downsample, tissue_threshold, tiles_kept, tiles_skipped)
       VALUES (@imageId, @formatName, @mppX, @mppY, @magnification, @scanner, @tileDownsample,
         @maskBlob, @downsample, @threshold, @tilesKept, @tilesSkipped)
       ON CONFLICT(image_id) DO UPDATE SET format_name = excluded.format_name, mpp_x = excluded.mpp_x,
         mpp_y = excluded.mpp_y, magnification = excluded.magnification, scanner = excluded.scanner,
         tile_downsample = excluded.tile_downsample, tissue_mask_blob = excluded.tissue_mask_blob,
         tissue_downsample = excluded.tissue_downsample, tissue_threshold = excluded.tissue_threshold,
         tiles_kept = excluded.tiles_kept, tiles_skipped = excluded.tiles_skipped`,
    )
    .run({
      imageId,
      formatName: info.formatName,
      mppX: info.mppX,
      mppY: info.mppY,
      magnification: info.magnification,
      scanner: info.scanner,
      tileDownsample: info.tileDownsample,
      maskBlob: info.tissue?.maskBlob ?? null,
      downsample: info.tissue?.downsample ?? null,
      threshold: info.tissue?.threshold ?? null,
      tilesKept: info.tissue?.tilesKept ?? null,
      tilesSkipped: info.tissue?.tilesSkipped ?? null,
    })
}

export function slideInfo(project: Project, imageId: number): SlideInfo | null {
  const r = project.db
    .prepare(
      `SELECT format_name AS formatName, mpp_x AS mppX, mpp_y AS mppY, magnification, scanner,
              tile_downsample AS tileDownsample, tissue_mask_blob AS maskBlob, tissue_downsample AS downsample,
              tissue_threshold AS threshold, tiles_kept AS tilesKept, tiles_skipped AS tilesSkipped
       FROM slide_info WHERE image_id = ?`,
    )
    .get(imageId) as Row | undefined
  if (!r) return null
  return {
    formatName: r.formatName,
    mppX: r.mppX,
    mppY: r.mppY,
    magnification: r.magnification,
    scanner: r.scanner,
    tileDownsample: r.tileDownsample,
    tissue:
      r.maskBlob === null
        ? null
        : {
            maskBlob: r.maskBlob,
            downsample: r.downsample!,
            threshold: r.threshold!,
            tilesKept: r.tilesKept!,
            tilesSkipped: r.tilesSkipped!,
          },
  }
}
