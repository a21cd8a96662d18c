import { z } from 'zod'
import { importFormatSchema, output } from './schemaParts'

const uploadId = z.string().regex(/^[0-9a-f]{32}$/, 'uploadId must be the id upload.begin returned')

/** Import options shared by a path import and an upload import. */
export const importOptions = {
  format: importFormatSchema,
  /** Whole slides: cut training tiles at this objective magnification (20 for 20×)… */
  tileMagnification: z.number().positive().max(200).optional(),
  /** …or this many microns wide; the scan's own pixels when neither is given. */
  tileMicrons: z.number().positive().max(100_000).optional(),
  /** The mask class binary masks stand for (default: `lesion` for ISIC and Dermofit). */
  maskClass: z.string().trim().min(1).max(64).optional(),
  /** QuPath GeoJSON: add the mask classes the files name but the project lacks, instead of refusing… */
  createClasses: z.boolean().optional(),
  /** …and leave out objects without a classification, instead of refusing. */
  skipUnclassified: z.boolean().optional(),
}

export const oneTileScale = {
  check: (v: { tileMagnification?: number; tileMicrons?: number }) =>
    v.tileMagnification === undefined || v.tileMicrons === undefined,
  message: 'give tileMagnification or tileMicrons, not both',
}

/**
 * Serve mode: files and folders sent from the browser. `upload.begin` opens a staging folder; each file is
 * then PUT to /upload/<uploadId> (the server's own route, with its size limit); `upload.import` imports the
 * staged files as one all-or-nothing job and removes them afterwards; `upload.discard` drops them.
 */
export const uploadsApi = {
  'upload.begin': {
    input: z.object({}).strict(),
    output: output<{ uploadId: string; maxBytes: number }>(),
  },
  'upload.import': {
    input: z
      .object({ uploadId, ...importOptions })
      .strict()
      .refine(oneTileScale.check, { message: oneTileScale.message }),
    output: output<{ jobId: string }>(),
  },
  'upload.discard': { input: z.object({ uploadId }).strict(), output: output<null>() },
} as const
