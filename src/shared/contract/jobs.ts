import { z } from 'zod'
import type { JobState } from '../events'
import { output } from './schemaParts'
import { importOptions, oneTileScale } from './uploads'

/** Long work: imports and training as jobs with progress and cancel. */
export const jobsApi = {
  'import.start': {
    input: z
      .object({ ...importOptions, path: z.string().min(1, 'path must not be empty') })
      .strict()
      .refine(oneTileScale.check, { message: oneTileScale.message }),
    output: output<{ jobId: string }>(),
  },
  'jobs.list': { input: z.object({}).strict(), output: output<JobState[]>() },
  'jobs.cancel': { input: z.object({ jobId: z.string().min(1) }).strict(), output: output<JobState>() },
} as const
