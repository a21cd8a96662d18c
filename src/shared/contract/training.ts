import { z } from 'zod'
import { labelSourceSchema } from './labelFraction'
import type { BackendStatus } from '../api'
import { output, presetSchema } from './schemaParts'

export const taskSchema = z.enum(['segmentation', 'classification'])

/** Training jobs, stored runs and the results pane. */
export const trainingApi = {
  'train.start': {
    input: z
      .object({
        task: taskSchema,
        /** A method id of the catalogue (methods.list); checked by validateTrainRequest. */
        method: z.string().min(1).max(64),
        /**
         * Which training images keep their labels: 'active' (default) is the labelled set chosen in the
         * training panel; a share 0–1 draws each seed's own set (0 for PiCIE); 'user' is exactly what was labelled.
         */
        labelFraction: z
          .union([z.literal('active'), z.literal('user'), z.number().min(0).max(1)])
          .default('active'),
        /**
         * With a share or 'user': train on hand-made masks only (default) or on reviewed predictions too.
         * 'active' takes the label source the set was chosen with.
         */
        labelSource: labelSourceSchema.optional(),
        seeds: z.number().int().min(1).max(100).default(1),
        preset: presetSchema.default('quick'),
        /** Per-run overrides of the defaults (learning rate, epochs, ...), recorded with the run. */
        overrides: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
      })
      .strict(),
    output: output<{ jobIds: string[] }>(),
  },
  /** How many CPU threads training uses from the next run on; answers with the backend as it now reports. */
  'training.setThreads': {
    input: z.object({ threads: z.number().int().min(1).max(8) }).strict(),
    output: output<BackendStatus>(),
  },
} as const
