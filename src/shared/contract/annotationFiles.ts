import { z } from 'zod'
import { output } from './schemaParts'

/**
 * What an export writes: `masks`, PNG masks + COCO RLE + labels CSV; `geojson`, QuPath GeoJSON, one
 * `<image>.geojson` per image with a mask (outlines on pixel edges: 0 px tracing tolerance).
 */
const exportFormat = z.enum(['masks', 'geojson']).default('masks')

/** What an export wrote, by format; `files` names every file written (or, for a zip, its entries). */
type ExportSummary =
  | { format: 'masks'; masks: number; annotations: number; labelledImages: number; files: string[] }
  | { format: 'geojson'; images: number; features: number; files: string[] }

/**
 * Masks and labels as files: export to a folder (PNG masks, COCO, CSV, or QuPath GeoJSON) and import PNG or
 * COCO back (QuPath GeoJSON comes in as an import job: `import.start` with format `geojson`).
 */
export const annotationFilesApi = {
  'annotations.export': {
    input: z
      .object({
        dir: z.string().min(1, 'dir must be a folder path'),
        format: exportFormat,
        /** PNG mask values (format `masks`). */
        maskValues: z.enum(['index', 'binary']).default('index'),
        /** Replace files in a folder that already holds some; without it such a folder is refused. */
        overwrite: z.boolean().default(false),
      })
      .strict(),
    output: output<ExportSummary & { dir: string }>(),
  },
  /** Serve mode: the same export as a zip, fetched once from /download/<downloadId>. */
  'annotations.exportZip': {
    input: z
      .object({ format: exportFormat, maskValues: z.enum(['index', 'binary']).default('index') })
      .strict(),
    /** `files`: the zip's entries (masks/<image>.png, annotations.coco.json, labels.csv; or <image>.geojson). */
    output: output<ExportSummary & { downloadId: string; fileName: string }>(),
  },
  'annotations.import': {
    input: z
      .object({
        dir: z.string().min(1, 'dir must be a folder path'),
        masks: z.enum(['png', 'coco', 'none']).default('png'),
        labels: z.boolean().default(true),
      })
      .strict(),
    output: output<{ masks: number; labelledImages: number }>(),
  },
} as const
