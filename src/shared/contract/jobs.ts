import { z } from 'zod'
import type { JobState } from '../events'
import { importFormatSchema, output } from './schemaParts'

/** Long work: imports and training as jobs with progress and cancel. */
export const jobsApi = {
  'import.start': {
    input: z
      .object({ format: importFormatSchema, path: z.string().min(1, 'path must not be empty') })
      .strict(),
    output: output<{ jobId: string }>(),
  },
  'jobs.list': { input: z.object({}).strict(), output: output<JobState[]>() },
  'jobs.cancel': { input: z.object({ jobId: z.string().min(1) }).strict(), output: output<JobState>() },
} as const
