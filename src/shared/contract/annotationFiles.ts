import { z } from 'zod'
import { output } from './schemaParts'

/** Masks and labels as files: export to a folder (PNG masks, COCO, CSV) and import them back. */
export const annotationFilesApi = {
  'annotations.export': {
    input: z
      .object({
        dir: z.string().min(1, 'dir must be a folder path'),
        maskValues: z.enum(['index', 'binary']).default('index'),
        /** Replace files in a folder that already holds some; without it such a folder is refused. */
        overwrite: z.boolean().default(false),
      })
      .strict(),
    output: output<{
      dir: string
      masks: number
      annotations: number
      labelledImages: number
      files: string[]
    }>(),
  },
  /** Serve mode: the same export as a zip, fetched once from /download/<downloadId>. */
  'annotations.exportZip': {
    input: z.object({ maskValues: z.enum(['index', 'binary']).default('index') }).strict(),
    output: output<{
      downloadId: string
      fileName: string
      masks: number
      annotations: number
      labelledImages: number
      /** The zip's entries: masks/<image>.png, annotations.coco.json, labels.csv. */
      files: string[]
    }>(),
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
