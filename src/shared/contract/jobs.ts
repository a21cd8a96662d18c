import { z } from 'zod'
import type { JobState } from '../events'
import { importFormatSchema, output } from './schemaParts'

/** Long work: imports and training as jobs with progress and cancel. */
export const jobsApi = {
  'import.start': {
    input: z
      .object({
        format: importFormatSchema,
        path: z.string().min(1, 'path must not be empty'),
        /** Whole slides: cut training tiles at this objective magnification (20 for 20×)… */
        tileMagnification: z.number().positive().max(200).optional(),
        /** …or this many microns wide; the scan's own pixels when neither is given. */
        tileMicrons: z.number().positive().max(100_000).optional(),
        /** The mask class binary masks stand for (default: `lesion` for ISIC and Dermofit). */
        maskClass: z.string().trim().min(1).max(64).optional(),
      })
      .strict()
      .refine((v) => v.tileMagnification === undefined || v.tileMicrons === undefined, {
        message: 'give tileMagnification or tileMicrons, not both',
      }),
    output: output<{ jobId: string }>(),
  },
  'jobs.list': { input: z.object({}).strict(), output: output<JobState[]>() },
  'jobs.cancel': { input: z.object({ jobId: z.string().min(1) }).strict(), output: output<JobState>() },
} as const
